/**
 * Agent-line invoices, end to end in workerd against the real libSQL database and the billing
 * service stand-in over HTTP: gapless numbering under concurrent creation, drafts edited before
 * sending, the signed hand-off (retried after a 5xx, never duplicated), payment by the signed
 * callback or the API (unblocking the customer and raising their limit), credit notes, CSV.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import { settleOrder } from "../../src/products/agent-line/credit-store";
import { parseAgentLineConfig } from "../../src/products/agent-line/config";
import { handoffKey } from "../../src/products/agent-line/invoicing/billing-handoff";
import { isValidOcr } from "../../src/products/agent-line/ocr";
import { SIGNATURE_HEADER, signatureHeader, verifySignatureHeader } from "../../src/webhooks/signature";
import { api, expectProblem, json } from "./api-helpers";
import { payloadOf } from "./support/advice-call";
import {
  agentLineFixture,
  customerRow,
  dialIn,
  invoicesOf,
  seedCustomer,
  type AgentLineFixture,
} from "./support/agent-line";
import { db } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";
import { exports } from "cloudflare:workers";

const { telnyx } = useWireFakes();
const BILLING = inject("billingUrl");
const SECRET = "bss_test_meterline";

interface InvoiceJson {
  id: string;
  number: number;
  series: string;
  status: string;
  kind: string;
  ocr: string;
  customer_id: string;
  credits_invoice_id: string | null;
  lines: {
    seq: number;
    amount: number;
    unit_price: number;
    quantity_milli: number;
    order_id: string | null;
  }[];
  totals: { net: number; vat: number; total: number };
  handoff?: { state: string; attempts?: number; last_status?: number | null };
}

/** A customer whose order of `amount` öre took them to their limit: one draft invoice. */
async function customerWithDraft(fx: AgentLineFixture, amount = 10_000, limit = 10_000) {
  const customer = await seedCustomer(fx, { creditLimit: limit });
  const callId = `call_t_${crypto.randomUUID()}`;
  const cfg = parseAgentLineConfig(fx.config);
  const { invoiceId } = await settleOrder(
    db(),
    callId,
    {
      type: "settle_order",
      customerId: customer.id,
      lineId: fx.id,
      talkSeconds: 300,
      billableSeconds: 300,
      articleNr: "100",
      pricePerMinute: 2000,
      extras: 0,
      amount,
      vatRateBp: 2500,
      nextCallMinimum: 2485,
    },
    cfg,
    Date.now(),
  );
  if (!invoiceId) throw new Error("no invoice drafted");
  return { customer, invoiceId, callId };
}

const standin = async <T>(path: string, init?: RequestInit): Promise<T> =>
  await (await fetch(`${BILLING}${path}`, init)).json();
const handoffAt = (invoiceId: string) =>
  fetch(`${BILLING}/_standin/handoffs/${encodeURIComponent(handoffKey(invoiceId))}`).then(async (r) =>
    r.ok ? await r.json<{ deliveries: number; body: Record<string, unknown> }>() : null,
  );

async function paidCallback(body: unknown, secret = SECRET) {
  const raw = JSON.stringify(body);
  return exports.default.fetch("http://meterline.test/webhooks/billing", {
    method: "POST",
    headers: { "content-type": "application/json", [SIGNATURE_HEADER]: await signatureHeader(secret, raw) },
    body: raw,
  });
}

describe("invoice numbers", () => {
  it("are gapless and unique within a series when many invoices are created at once", async () => {
    const fx = await agentLineFixture();
    const drafted = await Promise.all(Array.from({ length: 20 }, () => customerWithDraft(fx)));
    const rows = await Promise.all(drafted.map((d) => invoicesOf(d.customer.id)));
    const numbers = rows
      .flat()
      .map((r) => r.number)
      .sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(rows.flat().every((r) => r.series === fx.config.invoiceSeries && isValidOcr(r.ocr))).toBe(true);
  });
});

describe("a draft before it is sent", () => {
  it("its lines can be changed and a discount added; once sent it cannot", async () => {
    const fx = await agentLineFixture();
    const { invoiceId } = await customerWithDraft(fx);
    const draft = await json<InvoiceJson>(await api(`/api/v1/invoices/${invoiceId}`), 200);
    expect(draft).toMatchObject({ status: "draft", totals: { net: 10_000, vat: 2500, total: 12_500 } });
    const edited = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/lines/1`, { method: "PATCH", body: { unit_price: 8000 } }),
      200,
    );
    expect(edited.totals).toEqual(expect.objectContaining({ net: 8000, vat: 2000, total: 10_000 }));
    const discounted = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/lines`, {
        method: "POST",
        body: { kind: "discount", description: "Goodwill", amount: 1000 },
      }),
      200,
    );
    expect(discounted.lines.at(-1)).toMatchObject({ seq: 2, amount: -1000, unit_price: -1000 });
    expect(discounted.totals).toEqual(expect.objectContaining({ net: 7000, vat: 1750, total: 8750 }));
    await json(await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }), 200);
    const refused = await expectProblem(
      await api(`/api/v1/invoices/${invoiceId}/lines/1`, { method: "PATCH", body: { unit_price: 1 } }),
      409,
    );
    expect(refused.detail).toMatch(/credit note/);
  });

  it("a bad line change names the field", async () => {
    const fx = await agentLineFixture();
    const { invoiceId } = await customerWithDraft(fx);
    const problem = await expectProblem(
      await api(`/api/v1/invoices/${invoiceId}/lines/1`, { method: "PATCH", body: { unit_price: 1.5 } }),
      422,
    );
    expect(problem.errors?.map((e) => e.field)).toEqual(["unit_price"]);
  });
});

describe("sending hands the invoice to the billing service", () => {
  it("one signed hand-off with everything bookkeeping needs", async () => {
    const fx = await agentLineFixture();
    const { invoiceId, callId, customer } = await customerWithDraft(fx);
    const sent = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }),
      200,
    );
    expect(sent).toMatchObject({
      status: "sent",
      handoff: { state: "delivered", attempts: 1, last_status: 200 },
    });
    const got = await handoffAt(invoiceId);
    expect(got?.deliveries).toBe(1);
    expect((got?.body.invoice as { due_date?: string }).due_date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(got?.body).toMatchObject({
      type: "invoice.issued",
      idempotency_key: handoffKey(invoiceId),
      invoice: {
        id: invoiceId,
        series: fx.config.invoiceSeries,
        number: sent.number,
        currency: "sek",
        payment_reference: { type: "ocr", value: sent.ocr },
        lines: [expect.objectContaining({ amount: 10_000, vat_rate_bp: 2500, order_id: callId })],
        totals: {
          net: 10_000,
          vat: 2500,
          total: 12_500,
          by_vat_rate: [{ vat_rate_bp: 2500, net: 10_000, vat: 2500 }],
        },
      },
      customer: {
        id: customer.id,
        address: { street: "Storgatan 1", postal_code: "114 51", city: "Stockholm", country: "SE" },
        phone_numbers: [customer.number],
      },
      calls: [expect.objectContaining({ order_id: callId, billable_seconds: 300, amount: 10_000 })],
    });
  });

  it("a 5xx from the service is retried with the same key until acknowledged, and never sent twice", async () => {
    const fx = await agentLineFixture();
    const { invoiceId } = await customerWithDraft(fx);
    const before = await standin<{ attempts: number }>("/_standin/handoffs");
    await standin("/_standin/fail-next", { method: "POST", body: JSON.stringify({ status: 503, count: 1 }) });
    const sent = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }),
      200,
    );
    expect(sent.handoff).toMatchObject({ state: "pending", attempts: 1, last_status: 503 });
    expect(await handoffAt(invoiceId)).toBeNull();
    const delivery = env.WEBHOOK_DELIVERY.get(env.WEBHOOK_DELIVERY.idFromName(handoffKey(invoiceId)));
    expect(await runDurableObjectAlarm(delivery)).toBe(true);
    expect((await handoffAt(invoiceId))?.deliveries).toBe(1);
    // Sending again (an admin's double click, a retried request) re-offers nothing new.
    const again = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }),
      200,
    );
    expect(again.handoff).toMatchObject({ state: "delivered", attempts: 2 });
    expect(await runDurableObjectAlarm(delivery)).toBe(false);
    expect((await handoffAt(invoiceId))?.deliveries).toBe(1);
    const after = await standin<{ attempts: number }>("/_standin/handoffs");
    expect(after.attempts - before.attempts).toBeGreaterThanOrEqual(2);
  });

  it("signs what it sends so the service can check it", async () => {
    const fx = await agentLineFixture();
    const { invoiceId } = await customerWithDraft(fx);
    const captured: { header: string | null; body: string }[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.startsWith(BILLING) && init?.method === "POST")
        captured.push({
          header: new Headers(init.headers).get(SIGNATURE_HEADER),
          body: typeof init.body === "string" ? init.body : "",
        });
      return realFetch(input, init);
    };
    try {
      await json(await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }), 200);
    } finally {
      globalThis.fetch = realFetch;
    }
    expect(captured).toHaveLength(1);
    expect(await verifySignatureHeader(SECRET, captured[0]!.header, captured[0]!.body)).toBe("ok");
    expect(await verifySignatureHeader("another secret", captured[0]!.header, captured[0]!.body)).toBe(
      "mismatch",
    );
  });
});

describe("paid: unblocked, limit raised", () => {
  it("the service's signed callback pays the invoice; the customer can call again with a higher limit", async () => {
    const fx = await agentLineFixture({ creditRaise: { perPaidInvoice: 50_000, cap: 55_000 } });
    const { invoiceId, customer } = await customerWithDraft(fx);
    const sent = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }),
      200,
    );
    expect(await customerRow(customer.id)).toMatchObject({ status: "blocked", creditLimit: 10_000 });
    const blocked = await dialIn(fx, customer.number);
    expect(payloadOf(telnyx.ofAction("speak").at(-1))).toMatch(
      /^You have an unpaid invoice of 125\.00 Swedish kronor/,
    );
    void blocked;

    const event = {
      id: `evt_${crypto.randomUUID()}`,
      type: "invoice.paid",
      data: {
        ocr: sent.ocr,
        amount: 12_500,
        currency: "sek",
        paid_at: new Date().toISOString(),
        reference: "BG 123",
      },
    };
    const forged = await paidCallback(event, "not the secret");
    expect(forged.status).toBe(401);
    expect(await customerRow(customer.id)).toMatchObject({ status: "blocked", creditLimit: 10_000 });
    expect((await json<InvoiceJson>(await api(`/api/v1/invoices/${invoiceId}`), 200)).status).toBe("sent");

    const paid = await paidCallback(event);
    expect(await json(paid, 200)).toMatchObject({
      handled: true,
      invoice_id: invoiceId,
      already_paid: false,
    });
    // +500 SEK per paid invoice, up to the 550 SEK cap: 100 → 550.
    expect(await customerRow(customer.id)).toMatchObject({
      status: "active",
      creditLimit: 55_000,
      paidInvoices: 1,
    });
    const again = await paidCallback(event);
    expect(await json(again, 200)).toMatchObject({ already_paid: true });
    expect(await customerRow(customer.id)).toMatchObject({ creditLimit: 55_000, paidInvoices: 1 });
    expect(
      await json<InvoiceJson & { paid_amount: number; payment_reference: string }>(
        await api(`/api/v1/invoices/${invoiceId}`),
        200,
      ),
    ).toMatchObject({
      status: "paid",
      paid_amount: 12_500,
      payment_reference: "BG 123",
    });

    await dialIn(fx, customer.number);
    expect(payloadOf(telnyx.ofAction("speak").at(-1))).toBe("Thank you. Connecting you to an agent.");
  });

  it("a payment through the API: not for a draft, not less than the total, and booked once", async () => {
    const fx = await agentLineFixture();
    const { invoiceId, customer } = await customerWithDraft(fx);
    await expectProblem(
      await api(`/api/v1/invoices/${invoiceId}/payments`, { method: "POST", body: { amount: 12_500 } }),
      409,
    );
    await json(await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }), 200);
    const short = await expectProblem(
      await api(`/api/v1/invoices/${invoiceId}/payments`, { method: "POST", body: { amount: 12_499 } }),
      422,
    );
    expect(short.errors?.map((e) => e.field)).toEqual(["amount"]);
    const body = { amount: 12_500, reference: "manual" };
    await json(await api(`/api/v1/invoices/${invoiceId}/payments`, { method: "POST", body }), 200);
    await json(await api(`/api/v1/invoices/${invoiceId}/payments`, { method: "POST", body }), 200);
    expect(await customerRow(customer.id)).toMatchObject({
      status: "active",
      creditLimit: 60_000,
      paidInvoices: 1,
    });
  });

  it("a callback with a malformed body is refused naming the field, and changes nothing", async () => {
    const fx = await agentLineFixture();
    const { invoiceId } = await customerWithDraft(fx);
    const res = await paidCallback({
      id: "evt_x",
      type: "invoice.paid",
      data: { invoice_id: invoiceId, amount: "lots", currency: "sek", paid_at: "yesterday" },
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["data.amount", "data.paid_at"]);
  });
});

describe("credit notes", () => {
  it("credit a sent invoice in full: the next number, every line negated, the customer no longer owes it", async () => {
    const fx = await agentLineFixture();
    const { invoiceId, customer } = await customerWithDraft(fx);
    const sent = await json<InvoiceJson>(
      await api(`/api/v1/invoices/${invoiceId}/send`, { method: "POST" }),
      200,
    );
    const res = await api(`/api/v1/invoices/${invoiceId}/credit-note`, {
      method: "POST",
      body: { reason: "Billed the wrong customer" },
    });
    const note = await json<InvoiceJson>(res, 201);
    expect(res.headers.get("location")).toBe(`/api/v1/invoices/${note.id}`);
    expect(note).toMatchObject({
      kind: "credit_note",
      credits_invoice_id: invoiceId,
      number: sent.number + 1,
      totals: { net: -10_000, vat: -2500, total: -12_500 },
    });
    expect(isValidOcr(note.ocr)).toBe(true);
    expect((await json<InvoiceJson>(await api(`/api/v1/invoices/${invoiceId}`), 200)).status).toBe(
      "credited",
    );
    expect((await customerRow(customer.id)).status).toBe("active");
    expect((await handoffAt(note.id))?.body).toMatchObject({
      type: "credit_note.issued",
      invoice: { credits_invoice_id: invoiceId },
    });
    await expectProblem(
      await api(`/api/v1/invoices/${invoiceId}/credit-note`, { method: "POST", body: { reason: "again" } }),
      409,
    );
  });
});

describe("CSV exports", () => {
  it("orders and invoices download as CSV with their figures", async () => {
    const fx = await agentLineFixture();
    const { invoiceId, customer, callId } = await customerWithDraft(fx);
    const orders = await api(`/api/v1/orders.csv?customer_id=${customer.id}`);
    expect(orders.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const orderLines = (await orders.text()).trim().split("\r\n");
    expect(orderLines[0]).toMatch(/^id,at,customer_id,/);
    expect(orderLines.slice(1)).toEqual([
      expect.stringMatching(new RegExp(`^${callId},.*,10000,100\\.00,sek,2500,${invoiceId}$`)),
    ]);
    const invoices = (await (await api(`/api/v1/invoices.csv?customer_id=${customer.id}`)).text())
      .trim()
      .split("\r\n");
    expect(invoices.slice(1)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^${invoiceId},invoice,${fx.config.invoiceSeries},1,${customer.id},draft,.*,10000,2500,12500,125\\.00,$`,
        ),
      ),
    ]);
  });
});
