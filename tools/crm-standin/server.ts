/**
 * A local stand-in for the CRM that secure-payment records are posted to (Node http), for tests
 * and `npm start`. It checks our signature on every activity, records each idempotency key once
 * (a redelivery is counted, never recorded twice), can answer 5xx to the next few deliveries, and
 * shows what it received as a small page at / (and as JSON under /_standin/). No auth: local only.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { SIGNATURE_HEADER, verifySignatureHeader } from "../../src/webhooks/signature";
import { activitiesPage } from "./page";

export interface CrmActivity {
  key: string;
  type: string;
  transactionId: string;
  status: string;
  /** Every delivery of this key answered 2xx (more than 1: a redelivery, not a new activity). */
  deliveries: number;
  receivedAt: number;
  body: Record<string, unknown>;
}

export interface CrmStandinOptions {
  secret: string;
  port?: number;
  host?: string;
}

export interface CrmStandin {
  url: string;
  activities(): CrmActivity[];
  /** Every POST that reached the CRM, failed or not. */
  attempts(): number;
  /** The next `count` deliveries (of `key` only, when given) are answered with `status`. */
  failNext(status: number, count?: number, key?: string): void;
  close(): Promise<void>;
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

export async function startCrmStandin(opts: CrmStandinOptions): Promise<CrmStandin> {
  const byKey = new Map<string, CrmActivity>();
  // A failure can name one delivery's key, so tests running side by side never fail each other's.
  const failures: { status: number; key?: string }[] = [];
  let attempts = 0;

  async function receive(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void> {
    attempts++;
    const key = req.headers["idempotency-key"];
    const failAt = failures.findIndex((f) => f.key === undefined || f.key === key);
    if (failAt >= 0) {
      const [failure] = failures.splice(failAt, 1);
      return send(res, failure?.status ?? 503, { error: "injected failure" });
    }
    const header = req.headers[SIGNATURE_HEADER] as string | undefined;
    const verdict = await verifySignatureHeader(opts.secret, header, raw);
    if (verdict !== "ok") return send(res, 401, { error: `signature ${verdict}` });
    if (typeof key !== "string" || !key) return send(res, 400, { error: "Idempotency-Key missing" });
    const seen = byKey.get(key);
    if (seen) {
      seen.deliveries++;
      return send(res, 200, { received: true, duplicate: true });
    }
    const body = JSON.parse(raw) as Record<string, unknown>;
    const activity = (body.activity ?? {}) as Record<string, unknown>;
    byKey.set(key, {
      key,
      type: typeof body.type === "string" ? body.type : "",
      transactionId: typeof activity.transaction_id === "string" ? activity.transaction_id : "",
      status: typeof activity.payment_status === "string" ? activity.payment_status : "",
      deliveries: 1,
      receivedAt: Date.now(),
      body,
    });
    console.log(JSON.stringify({ msg: "crm-standin.activity", key, type: body.type }));
    return send(res, 200, { received: true });
  }

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? "/").split("?")[0];
      try {
        if (req.method === "POST" && path === "/") return await receive(req, res, raw);
        if (req.method === "GET" && path === "/") {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(activitiesPage([...byKey.values()].reverse(), attempts));
        }
        if (req.method === "GET" && path === "/_standin/activities")
          return send(res, 200, { attempts, data: [...byKey.values()] });
        if (req.method === "POST" && path === "/_standin/fail-next") {
          const ask = (raw ? JSON.parse(raw) : {}) as { status?: number; count?: number; key?: string };
          for (let i = 0; i < (ask.count ?? 1); i++)
            failures.push({ status: ask.status ?? 503, ...(ask.key ? { key: ask.key } : {}) });
          return send(res, 200, { queued: failures.length });
        }
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
    activities: () => [...byKey.values()],
    attempts: () => attempts,
    failNext(status, count = 1, key) {
      for (let i = 0; i < count; i++) failures.push({ status, ...(key ? { key } : {}) });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
