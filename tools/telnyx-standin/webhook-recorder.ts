/**
 * A tiny webhook receiver for tests and tools: verifies each delivery's Ed25519 signature with
 * WebCrypto (as the Worker does: `${telnyx-timestamp}|${rawBody}`), records the verified events,
 * and lets a script react to them (e.g. answer and speak). Answers 401 to a bad signature.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type RecordedWebhook = {
  id: string;
  eventType: string;
  attempt: number;
  occurredAt: string;
  payload: Record<string, unknown>;
  raw: string;
  body: unknown;
};

export type WebhookRecorder = {
  url: string;
  events: RecordedWebhook[];
  /** Deliveries whose signature did not verify (should stay 0). */
  rejected: number;
  /** Must be awaited before the first delivery arrives, or that delivery is refused (401). */
  setPublicKey(base64: string): Promise<void>;
  /** Resolves with the first recorded event (past or future) matching; rejects after timeoutMs. */
  waitFor(match: (e: RecordedWebhook) => boolean, timeoutMs?: number): Promise<RecordedWebhook>;
  close(): Promise<void>;
};

/** `respond` picks the HTTP status (default 200) and may run side effects such as commands. */
export async function startWebhookRecorder(
  respond: (e: RecordedWebhook) => number | Promise<number> = () => 200,
): Promise<WebhookRecorder> {
  let key: CryptoKey | undefined;
  const waiters = new Set<{
    match: (e: RecordedWebhook) => boolean;
    resolve: (e: RecordedWebhook) => void;
  }>();
  const rec: WebhookRecorder = {
    url: "",
    events: [],
    rejected: 0,
    async setPublicKey(base64) {
      key = await crypto.subtle.importKey("raw", Buffer.from(base64, "base64"), { name: "Ed25519" }, false, [
        "verify",
      ]);
    },
    close() {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
    waitFor(match, timeoutMs = 5000) {
      const found = rec.events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = {
          match,
          resolve: (e: RecordedWebhook) => {
            clearTimeout(timer);
            resolve(e);
          },
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching webhook within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
  };

  async function verified(raw: string, ts: string, sig: string): Promise<boolean> {
    if (!key || !ts || !sig) return false;
    const data = new TextEncoder().encode(`${ts}|${raw}`);
    return crypto.subtle.verify("Ed25519", key, Buffer.from(sig, "base64"), data);
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const ts = String(req.headers["telnyx-timestamp"] ?? "");
      const sig = String(req.headers["telnyx-signature-ed25519"] ?? "");
      void (async () => {
        if (!(await verified(raw, ts, sig))) {
          rec.rejected += 1;
          res.writeHead(401).end();
          return;
        }
        const body = JSON.parse(raw) as {
          data: { id: string; event_type: string; occurred_at: string; payload: Record<string, unknown> };
          meta: { attempt: number };
        };
        const e: RecordedWebhook = {
          id: body.data.id,
          eventType: body.data.event_type,
          attempt: body.meta.attempt,
          occurredAt: body.data.occurred_at,
          payload: body.data.payload,
          raw,
          body,
        };
        rec.events.push(e);
        for (const w of waiters) {
          if (!w.match(e)) continue;
          waiters.delete(w);
          w.resolve(e);
        }
        const status = await respond(e);
        res.writeHead(status).end();
      })().catch(() => res.writeHead(500).end());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  rec.url = `http://127.0.0.1:${port}/webhooks/telnyx`;
  return rec;
}
