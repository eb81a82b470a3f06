/**
 * WebhookDelivery: one Durable Object per outgoing signed webhook, named by its idempotency key
 * (an invoice hand-off to the billing service, a payment record to a CRM). It POSTs the JSON body
 * with our signature and the key in `Idempotency-Key`, and retries with backoff until a 2xx —
 * never twice once acknowledged, and a second start() of the same key sends nothing new.
 */
import { DurableObject } from "cloudflare:workers";
import { signatureHeader, SIGNATURE_HEADER } from "../src/webhooks/signature";

export interface DeliveryRequest {
  id: string;
  url: string;
  body: string;
  /** The name of the Worker secret the body is signed with (never the secret itself). */
  secretName: string;
}

export interface DeliveryStatus {
  id: string;
  state: "pending" | "delivered";
  attempts: number;
  lastStatus: number | null;
  deliveredAt: number | null;
  nextAttemptAt: number | null;
}

const MAX_BACKOFF_MS = 60 * 60_000;

export class WebhookDelivery extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql
      .exec(`CREATE TABLE IF NOT EXISTS delivery (id TEXT PRIMARY KEY, url TEXT NOT NULL, body TEXT NOT NULL,
      secret_name TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_status INTEGER, delivered_at INTEGER,
      next_at INTEGER)`);
  }

  /** Starts the delivery (once per key) and makes the first attempt now; answers its status. */
  async start(req: DeliveryRequest): Promise<DeliveryStatus> {
    const fresh =
      this.sql.exec(
        "INSERT OR IGNORE INTO delivery (id, url, body, secret_name, next_at) VALUES (?, ?, ?, ?, ?)",
        req.id,
        req.url,
        req.body,
        req.secretName,
        Date.now(),
      ).rowsWritten > 0;
    if (fresh) await this.attempt();
    return this.status();
  }

  status(): DeliveryStatus {
    const row = this.sql
      .exec<{
        id: string;
        attempts: number;
        last_status: number | null;
        delivered_at: number | null;
        next_at: number | null;
      }>("SELECT id, attempts, last_status, delivered_at, next_at FROM delivery")
      .toArray()[0];
    if (!row)
      return {
        id: "",
        state: "pending",
        attempts: 0,
        lastStatus: null,
        deliveredAt: null,
        nextAttemptAt: null,
      };
    return {
      id: row.id,
      state: row.delivered_at === null ? "pending" : "delivered",
      attempts: row.attempts,
      lastStatus: row.last_status,
      deliveredAt: row.delivered_at,
      nextAttemptAt: row.next_at,
    };
  }

  override async alarm(): Promise<void> {
    await this.attempt();
  }

  private async attempt(): Promise<void> {
    const row = this.sql
      .exec<{
        id: string;
        url: string;
        body: string;
        secret_name: string;
        attempts: number;
        delivered_at: number | null;
      }>("SELECT id, url, body, secret_name, attempts, delivered_at FROM delivery")
      .toArray()[0];
    if (!row || row.delivered_at !== null) return;
    const secret = (this.env as unknown as Record<string, unknown>)[row.secret_name];
    let status: number;
    try {
      if (typeof secret !== "string" || !secret) throw new Error(`no secret ${row.secret_name}`);
      const res = await fetch(row.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": row.id,
          [SIGNATURE_HEADER]: await signatureHeader(secret, row.body),
        },
        body: row.body,
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = 0;
    }
    const attempts = row.attempts + 1;
    if (status >= 200 && status < 300) {
      this.sql.exec(
        "UPDATE delivery SET attempts = ?, last_status = ?, delivered_at = ?, next_at = NULL",
        attempts,
        status,
        Date.now(),
      );
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const next = Date.now() + Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS);
    this.sql.exec("UPDATE delivery SET attempts = ?, last_status = ?, next_at = ?", attempts, status, next);
    console.warn(JSON.stringify({ msg: "webhook.delivery_retry", delivery: row.id, attempts, status }));
    await this.ctx.storage.setAlarm(next);
  }
}
