/**
 * The hand-off to the external billing and ledger service ("the module communicates with the
 * external service that handles billing and ledgers"): when an invoice or credit note is sent,
 * one signed JSON document with everything a bookkeeping system needs — seller's series and
 * number, dates, the customer and their address, every line with VAT, totals per VAT rate, the
 * OCR payment reference and the calls billed — POSTed by a WebhookDelivery Durable Object until
 * acknowledged. Keyed by the invoice: sending again never makes a second hand-off.
 */
import type { DeliveryStatus } from "../../../../durable-objects/webhook-delivery";
import { agentLineEnv } from "../agent-line-env";
import type { InvoiceDetail } from "./invoice-store";

export type HandoffStatus = DeliveryStatus | { state: "not_configured" | "not_sent" };

const day = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString().slice(0, 10));
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export const handoffKey = (invoiceId: string) => `invoice-handoff:${invoiceId}`;

export function handoffBody(d: InvoiceDetail): Record<string, unknown> {
  const { invoice, customer, totals } = d;
  return {
    type: invoice.kind === "credit_note" ? "credit_note.issued" : "invoice.issued",
    idempotency_key: handoffKey(invoice.id),
    invoice: {
      id: invoice.id,
      kind: invoice.kind,
      series: invoice.series,
      number: invoice.number,
      credits_invoice_id: invoice.creditsInvoiceId,
      issue_date: day(invoice.sentAt ?? invoice.createdAt),
      due_date: day(invoice.dueAt),
      currency: invoice.currency,
      payment_reference: { type: "ocr", value: invoice.ocr },
      note: invoice.note,
      lines: d.lines.map((l) => ({
        seq: l.seq,
        description: l.description,
        quantity_milli: l.quantityMilli,
        unit_price: l.unitPrice,
        amount: l.amount,
        vat_rate_bp: l.vatRateBp,
        order_id: l.orderId,
      })),
      totals: {
        net: totals.net,
        vat: totals.vat,
        total: totals.total,
        by_vat_rate: totals.byRate.map((r) => ({ vat_rate_bp: r.vatRateBp, net: r.net, vat: r.vat })),
      },
    },
    customer: {
      id: customer.id,
      name: customer.name,
      email: customer.email,
      address: {
        street: customer.street,
        postal_code: customer.postalCode,
        city: customer.city,
        country: customer.country,
      },
      phone_numbers: d.numbers,
    },
    calls: d.orders.map((o) => ({
      order_id: o.id,
      line_id: o.lineId,
      at: iso(o.at),
      talk_seconds: o.talkSeconds,
      billable_seconds: o.billableSeconds,
      article_nr: o.articleNr,
      price_per_minute: o.pricePerMinute,
      amount: o.amount,
    })),
  };
}

function deliveryOf(env: Env, invoiceId: string) {
  return env.WEBHOOK_DELIVERY.get(env.WEBHOOK_DELIVERY.idFromName(handoffKey(invoiceId)));
}

/** Starts (or re-offers) the invoice's hand-off; without a configured service there is none. */
export async function startHandoff(env: Env, d: InvoiceDetail): Promise<HandoffStatus> {
  const cfg = agentLineEnv(env);
  if (!cfg.BILLING_SERVICE_URL || !cfg.BILLING_SERVICE_SECRET) return { state: "not_configured" };
  return deliveryOf(env, d.invoice.id).start({
    id: handoffKey(d.invoice.id),
    url: cfg.BILLING_SERVICE_URL,
    body: JSON.stringify(handoffBody(d)),
    secretName: "BILLING_SERVICE_SECRET",
  });
}

export async function handoffStatus(env: Env, invoiceId: string, sent: boolean): Promise<HandoffStatus> {
  const cfg = agentLineEnv(env);
  if (!cfg.BILLING_SERVICE_URL || !cfg.BILLING_SERVICE_SECRET) return { state: "not_configured" };
  if (!sent) return { state: "not_sent" };
  return deliveryOf(env, invoiceId).status();
}
