/**
 * A local stand-in for the CRM that secure-payment records are posted to (Node http), for tests
 * and `npm start`. It checks our signature on every activity, records each idempotency key once
 * (a redelivery is counted, never recorded twice), can answer 5xx to the next few deliveries, and
 * shows what it received as a small page at / (and as JSON under /_standin/). No auth: local only.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, send, signedReceiver, type Delivered } from "../signed-receiver/receiver";
import { activitiesPage } from "./page";

export interface CrmActivity extends Delivered {
  type: string;
  transactionId: string;
  status: string;
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

export async function startCrmStandin(opts: CrmStandinOptions): Promise<CrmStandin> {
  const receiver = signedReceiver<CrmActivity>(
    opts.secret,
    (key, body) => {
      const activity = (body.activity ?? {}) as Record<string, unknown>;
      return {
        key,
        type: typeof body.type === "string" ? body.type : "",
        transactionId: typeof activity.transaction_id === "string" ? activity.transaction_id : "",
        status: typeof activity.payment_status === "string" ? activity.payment_status : "",
        deliveries: 1,
        receivedAt: Date.now(),
        body,
      };
    },
    "crm-standin",
  );

  const server = createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req);
      const path = (req.url ?? "/").split("?")[0];
      try {
        if (req.method === "POST" && path === "/") return await receiver.receive(req, res, raw);
        if (req.method === "GET" && path === "/") {
          res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
          return res.end(activitiesPage(receiver.records().reverse(), receiver.attempts()));
        }
        if (req.method === "GET" && path === "/_standin/activities")
          return send(res, 200, { attempts: receiver.attempts(), data: receiver.records() });
        if (req.method === "POST" && path === "/_standin/fail-next") {
          const ask = (raw ? JSON.parse(raw) : {}) as { status?: number; count?: number; key?: string };
          return send(res, 200, { queued: receiver.failNext(ask.status ?? 503, ask.count ?? 1, ask.key) });
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
    activities: () => receiver.records(),
    attempts: () => receiver.attempts(),
    failNext: (status, count, key) => void receiver.failNext(status, count, key),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
