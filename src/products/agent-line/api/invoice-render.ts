/**
 * How invoices, credit notes and orders look in the API: amounts in öre (ex VAT unless named
 * otherwise), quantities in thousandths of a unit, VAT rates in basis points, times ISO 8601.
 */
import { z } from "@hono/zod-openapi";
import { IsoTime, toIso, toIsoOrNull } from "../../../api/schemas";
import type { InvoiceTotals } from "../invoicing/invoice-math";
import type { InvoiceLineRow, InvoiceRow, OrderRow } from "../invoicing/invoice-store";

const ore = (description: string) =>
  z
    .number()
    .int()
    .openapi({ description: `${description}, öre` });

export const InvoiceLineSchema = z
  .object({
    seq: z.number().int(),
    description: z.string(),
    quantity_milli: z.number().int().openapi({ description: "Thousandths of a unit: 2.5 minutes is 2500" }),
    unit_price: ore("Per unit, ex VAT (negative for a discount)"),
    amount: ore("Ex VAT"),
    vat_rate_bp: z.number().int().openapi({ description: "2500 = 25 %" }),
    order_id: z.string().nullable().openapi({ description: "The call this line bills" }),
  })
  .openapi("InvoiceLine");

export const TotalsSchema = z
  .object({
    net: ore("Ex VAT"),
    vat: ore("VAT"),
    total: ore("With VAT: what is to be paid"),
    by_vat_rate: z.array(
      z.object({ vat_rate_bp: z.number().int(), net: z.number().int(), vat: z.number().int() }),
    ),
  })
  .openapi("InvoiceTotals");

export const HandoffSchema = z
  .object({
    state: z.enum(["not_configured", "not_sent", "pending", "delivered"]),
    attempts: z.number().int().optional(),
    last_status: z.number().int().nullable().optional(),
    delivered_at: IsoTime.nullable().optional(),
    next_attempt_at: IsoTime.nullable().optional(),
  })
  .openapi("InvoiceHandoff", { description: "The signed hand-off to the billing service" });

export const InvoiceSchema = z
  .object({
    id: z.string().openapi({ example: "inv_A17" }),
    kind: z.enum(["invoice", "credit_note"]),
    series: z.string(),
    number: z.number().int().openapi({ description: "Gapless within the series" }),
    credits_invoice_id: z.string().nullable(),
    customer_id: z.string(),
    status: z.enum(["draft", "sent", "paid", "credited"]),
    ocr: z.string().openapi({ description: "Bank giro payment reference (Luhn check digit)" }),
    currency: z.string(),
    note: z.string().nullable(),
    created_at: IsoTime,
    sent_at: IsoTime.nullable(),
    due_at: IsoTime.nullable(),
    paid_at: IsoTime.nullable(),
    paid_amount: z.number().int().nullable(),
    payment_reference: z.string().nullable(),
    lines: z.array(InvoiceLineSchema),
    totals: TotalsSchema,
    handoff: HandoffSchema.optional(),
  })
  .openapi("Invoice");

export const OrderSchema = z
  .object({
    id: z.string().openapi({ description: "The call's id: one order per call" }),
    customer_id: z.string(),
    line_id: z.string(),
    talk_seconds: z.number().int(),
    billable_seconds: z.number().int().openapi({ description: "Talk rounded to the line's increment" }),
    article_nr: z.string(),
    price_per_minute: ore("The customer's price after discount, ex VAT"),
    extras: ore("Per-call articles"),
    amount: ore("Ex VAT"),
    currency: z.string(),
    vat_rate_bp: z.number().int(),
    invoice_id: z.string().nullable(),
    at: IsoTime,
  })
  .openapi("Order");

export const renderLine = (l: InvoiceLineRow) => ({
  seq: l.seq,
  description: l.description,
  quantity_milli: l.quantityMilli,
  unit_price: l.unitPrice,
  amount: l.amount,
  vat_rate_bp: l.vatRateBp,
  order_id: l.orderId,
});

export const renderTotals = (t: InvoiceTotals) => ({
  net: t.net,
  vat: t.vat,
  total: t.total,
  by_vat_rate: t.byRate.map((r) => ({ vat_rate_bp: r.vatRateBp, net: r.net, vat: r.vat })),
});

export function renderInvoice(invoice: InvoiceRow, lines: InvoiceLineRow[], totals: InvoiceTotals) {
  return {
    id: invoice.id,
    kind: invoice.kind,
    series: invoice.series,
    number: invoice.number,
    credits_invoice_id: invoice.creditsInvoiceId,
    customer_id: invoice.customerId,
    status: invoice.status,
    ocr: invoice.ocr,
    currency: invoice.currency,
    note: invoice.note,
    created_at: toIso(invoice.createdAt),
    sent_at: toIsoOrNull(invoice.sentAt),
    due_at: toIsoOrNull(invoice.dueAt),
    paid_at: toIsoOrNull(invoice.paidAt),
    paid_amount: invoice.paidAmount,
    payment_reference: invoice.paymentReference,
    lines: lines.map(renderLine),
    totals: renderTotals(totals),
  };
}

export const renderOrder = (o: OrderRow) => ({
  id: o.id,
  customer_id: o.customerId,
  line_id: o.lineId,
  talk_seconds: o.talkSeconds,
  billable_seconds: o.billableSeconds,
  article_nr: o.articleNr,
  price_per_minute: o.pricePerMinute,
  extras: o.extras,
  amount: o.amount,
  currency: o.currency,
  vat_rate_bp: o.vatRateBp,
  invoice_id: o.invoiceId,
  at: toIso(o.at),
});
