/**
 * A local stand-in for the external billing and ledger service the agent line hands invoices to
 * (Node http), for tests and `npm start`. It checks our signature on every hand-off, records each
 * idempotency key once (a redelivery is counted, never recorded twice), can answer 5xx to the next
 * few deliveries, and sends the signed "invoice.paid" callback a real service would send when the
 * customer pays. Control routes under /_standin/ (no auth: local only).
 */
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, signatureHeader } from "../../src/webhooks/signature";
import { readBody, send, signedReceiver, type Delivered } from "../signed-receiver/receiver";

export interface Handoff extends Delivered {
  type: string;
  invoiceId: string;
  ocr: string;
  total: number;
  currency: string;
  body: Record<string, unknown>;
}

export interface BillingStandinOptions {
  secret: string;
  /** Meterline's /webhooks/billing, where "invoice.paid" callbacks go. */
  callbackUrl?: string;
  port?: number;
  host?: string;
}

export interface BillingStandin {
  url: string;
  handoffs(): Handoff[];
  /** Every POST that reached the service, failed or not. */
  attempts(): number;
  close(): Promise<void>;
}

interface InvoiceDoc {
  invoice?: {
    id?: string;
    payment_reference?: { value?: string };
    currency?: string;
    totals?: { total?: number };
  };
  type?: string;
}

export async function startBillingStandin(opts: BillingStandinOptions): Promise<BillingStandin> {
  const receiver = signedReceiver<Handoff>(
    opts.secret,
    (key, body) => {
      const doc = body as InvoiceDoc & Record<string, unknown>;
      return {
        key,
        type: doc.type ?? "",
        invoiceId: doc.invoice?.id ?? "",
        ocr: doc.invoice?.payment_reference?.value ?? "",
        total: doc.invoice?.totals?.total ?? 0,
        currency: doc.invoice?.currency ?? "",
        deliveries: 1,
        receivedAt: Date.now(),
        body: doc,
      };
    },
    "billing-standin",
  );

  /** Sends the signed paid callback for a handed-off invoice (its total, unless told otherwise). */
  async function pay(res: ServerResponse, raw: string): Promise<void> {
    const ask = (raw ? JSON.parse(raw) : {}) as {
      invoice_id?: string;
      amount?: number;
      event_id?: string;
      signature?: "bad";
    };
    const handoff = receiver
      .records()
      .find((h) => h.invoiceId === ask.invoice_id && h.type === "invoice.issued");
    if (!handoff)
      return send(res, 404, { error: `no hand-off of invoice ${ask.invoice_id ?? "(none given)"}` });
    if (!opts.callbackUrl) return send(res, 409, { error: "no callback URL configured" });
    const body = JSON.stringify({
      id: ask.event_id ?? `evt_${crypto.randomUUID()}`,
      type: "invoice.paid",
      data: {
        invoice_id: handoff.invoiceId,
        ocr: handoff.ocr,
        amount: ask.amount ?? handoff.total,
        currency: handoff.currency,
        paid_at: new Date().toISOString(),
        reference: `BG-${handoff.ocr}`,
      },
    });
    const signature = await signatureHeader(
      ask.signature === "bad" ? `${opts.secret}-wrong` : opts.secret,
      body,
    );
    const answer = await fetch(opts.callbackUrl, {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature },
      body,
    });
    send(res, 200, {
      callback_status: answer.status,
      callback_body: await answer.text(),
      event: JSON.parse(body) as unknown,
    });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? "/").split("?")[0];
      try {
        if (req.method === "POST" && path === "/") return await receiver.receive(req, res, raw);
        if (req.method === "GET" && path === "/_standin/handoffs")
          return send(res, 200, {
            attempts: receiver.attempts(),
            data: receiver.records().map(({ body: _b, ...h }) => h),
          });
        if (req.method === "GET" && path?.startsWith("/_standin/handoffs/")) {
          const found = receiver.get(decodeURIComponent(path.slice("/_standin/handoffs/".length)));
          return found ? send(res, 200, found) : send(res, 404, { error: "no such hand-off" });
        }
        if (req.method === "POST" && path === "/_standin/fail-next") {
          const ask = (raw ? JSON.parse(raw) : {}) as { status?: number; count?: number; key?: string };
          return send(res, 200, { queued: receiver.failNext(ask.status ?? 503, ask.count ?? 1, ask.key) });
        }
        if (req.method === "POST" && path === "/_standin/pay") return await pay(res, raw);
        send(res, 404, { error: "not found" });
      } catch (err) {
        send(res, 500, { error: err instanceof Error ? err.message : String(err) });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    handoffs: () => receiver.records(),
    attempts: () => receiver.attempts(),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
