/**
 * What every stand-in for a service we deliver signed webhooks to does with a delivery (the billing
 * service, the CRM): count it, answer an injected failure if one is queued, check our signature,
 * require an Idempotency-Key, and record each key once — a redelivery is counted, never recorded
 * twice. The service's own shape of a record is the caller's.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { SIGNATURE_HEADER, verifySignatureHeader } from "../../src/webhooks/signature";

export interface Delivered {
  key: string;
  /** Every delivery of this key answered 2xx (more than 1: a redelivery, not a new record). */
  deliveries: number;
  receivedAt: number;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

export function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

export interface SignedReceiver<R extends Delivered> {
  receive(req: IncomingMessage, res: ServerResponse, raw: string): Promise<void>;
  /** The next `count` deliveries (of `key` only, when given) are answered with `status`. */
  failNext(status: number, count?: number, key?: string): number;
  records(): R[];
  get(key: string): R | undefined;
  attempts(): number;
}

export function signedReceiver<R extends Delivered>(
  secret: string,
  /** Builds the record of a first delivery; `name` labels the log line. */
  record: (key: string, body: Record<string, unknown>) => R,
  name: string,
): SignedReceiver<R> {
  const byKey = new Map<string, R>();
  // A failure can name one delivery's key, so tests running side by side never fail each other's.
  const failures: { status: number; key?: string }[] = [];
  let attempts = 0;
  return {
    async receive(req, res, raw) {
      attempts++;
      const key = req.headers["idempotency-key"];
      const failAt = failures.findIndex((f) => f.key === undefined || f.key === key);
      if (failAt >= 0) {
        const [failure] = failures.splice(failAt, 1);
        return send(res, failure?.status ?? 503, { error: "injected failure" });
      }
      const header = req.headers[SIGNATURE_HEADER] as string | undefined;
      const verdict = await verifySignatureHeader(secret, header, raw);
      if (verdict !== "ok") return send(res, 401, { error: `signature ${verdict}` });
      if (typeof key !== "string" || !key) return send(res, 400, { error: "Idempotency-Key missing" });
      const seen = byKey.get(key);
      if (seen) {
        seen.deliveries++;
        return send(res, 200, { received: true, duplicate: true });
      }
      const body = JSON.parse(raw) as Record<string, unknown>;
      byKey.set(key, record(key, body));
      console.log(JSON.stringify({ msg: `${name}.received`, key, type: body.type }));
      return send(res, 200, { received: true });
    },
    failNext(status, count = 1, key) {
      for (let i = 0; i < count; i++) failures.push({ status, ...(key ? { key } : {}) });
      return failures.length;
    },
    records: () => [...byKey.values()],
    get: (key) => byKey.get(key),
    attempts: () => attempts,
  };
}
