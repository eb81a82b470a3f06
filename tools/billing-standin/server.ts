/**
 * A local stand-in for the external billing and ledger service the agent line hands invoices to
 * (Node http), for tests and `npm start`. It checks our signature on every hand-off, records each
 * idempotency key once (a redelivery is counted, never recorded twice), can answer 5xx to the next
 * few deliveries, and sends the signed "invoice.paid" callback a real service would send when the
 * customer pays. Control routes under /_standin/ (no auth: local only).
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, signatureHeader, verifySignatureHeader } from "../../src/webhooks/signature";

export interface Handoff {
  key: string;
  type: string;
  invoiceId: string;
  ocr: string;
  total: number;
  currency: string;
  /** Every delivery of this key that was answered 2xx (more than 1: a redelivery, not a new hand-off). */
  deliveries: number;
  receivedAt: number;
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

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export async function startBillingStandin(opts: BillingStandinOptions): Promise<BillingStandin> {
  const byKey = new Map<string, Handoff>();
  const failures: number[] = [];
  let attempts = 0;

  async function receive(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    attempts++;
    const failWith = failures.shift();
    if (failWith !== undefined) return send(res, failWith, { error: "injected failure" });
    const verdict = await verifySignatureHeader(
      opts.secret,
      req.headers[SIGNATURE_HEADER] as string | undefined,
      raw,
    );
    if (verdict !== "ok") return send(res, 401, { error: `signature ${verdict}` });
    const key = req.headers["idempotency-key"];
    if (typeof key !== "string" || !key) return send(res, 400, { error: "Idempotency-Key missing" });
    const seen = byKey.get(key);
    if (seen) {
      seen.deliveries++;
      return send(res, 200, { received: true, duplicate: true });
    }
    const doc = JSON.parse(raw) as InvoiceDoc & Record<string, unknown>;
    byKey.set(key, {
      key,
      type: doc.type ?? "",
      invoiceId: doc.invoice?.id ?? "",
      ocr: doc.invoice?.payment_reference?.value ?? "",
      total: doc.invoice?.totals?.total ?? 0,
      currency: doc.invoice?.currency ?? "",
      deliveries: 1,
      receivedAt: Date.now(),
      body: doc,
    });
    console.log(
      JSON.stringify({ msg: "billing-standin.handoff", key, type: doc.type, invoice: doc.invoice?.id }),
    );
    return send(res, 200, { received: true });
  }

  /** Sends the signed paid callback for a handed-off invoice (its total, unless told otherwise). */
  async function pay(res: ServerResponse, raw: string): Promise<void> {
    const ask = (raw ? JSON.parse(raw) : {}) as {
      invoice_id?: string;
      amount?: number;
      event_id?: string;
      signature?: "bad";
    };
    const handoff = [...byKey.values()].find(
      (h) => h.invoiceId === ask.invoice_id && h.type === "invoice.issued",
    );
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
        if (req.method === "POST" && path === "/") return await receive(req, res, raw);
        if (req.method === "GET" && path === "/_standin/handoffs")
          return send(res, 200, { attempts, data: [...byKey.values()].map(({ body: _b, ...h }) => h) });
        if (req.method === "GET" && path?.startsWith("/_standin/handoffs/")) {
          const found = byKey.get(decodeURIComponent(path.slice("/_standin/handoffs/".length)));
          return found ? send(res, 200, found) : send(res, 404, { error: "no such hand-off" });
        }
        if (req.method === "POST" && path === "/_standin/fail-next") {
          const ask = (raw ? JSON.parse(raw) : {}) as { status?: number; count?: number };
          for (let i = 0; i < (ask.count ?? 1); i++) failures.push(ask.status ?? 503);
          return send(res, 200, { queued: failures.length });
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
    handoffs: () => [...byKey.values()],
    attempts: () => attempts,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
