/**
 * Stripe-style webhook delivery: Event objects, signed with `Stripe-Signature: t=<unix>,v1=<hex
 * HMAC-SHA256 of "t.body" keyed with the endpoint secret>`, POSTed one at a time in creation order,
 * retried a few times on failure. Without a URL and secret, events are only recorded.
 */
import { createHmac } from "node:crypto";

export interface StripeEvent {
  id: string;
  object: "event";
  api_version: string;
  created: number;
  data: { object: unknown };
  livemode: false;
  pending_webhooks: number;
  request: { id: string | null; idempotency_key: string | null };
  type: string;
}

export interface WebhookDelivery {
  eventId: string;
  type: string;
  /** HTTP status of the last attempt, or null if it never got an answer. */
  status: number | null;
  attempts: number;
}

export function signStripePayload(payload: string, secret: string, timestampSec: number): string {
  const v1 = createHmac("sha256", secret).update(`${timestampSec}.${payload}`).digest("hex");
  return `t=${timestampSec},v1=${v1}`;
}

export interface WebhookSenderOptions {
  url?: string;
  secret?: string;
  maxAttempts?: number;
  retryDelayMs?: number;
}

export function createWebhookSender(opts: WebhookSenderOptions) {
  const deliveries: WebhookDelivery[] = [];
  let queue: Promise<void> = Promise.resolve();
  let closed = false;
  const maxAttempts = opts.maxAttempts ?? 3;
  const retryDelayMs = opts.retryDelayMs ?? 200;

  async function deliver(event: StripeEvent, url: string, secret: string): Promise<void> {
    const delivery: WebhookDelivery = { eventId: event.id, type: event.type, status: null, attempts: 0 };
    deliveries.push(delivery);
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 0; attempt < maxAttempts && !closed; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, retryDelayMs * 2 ** (attempt - 1)));
      delivery.attempts++;
      try {
        const signature = signStripePayload(payload, secret, Math.floor(Date.now() / 1000));
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8", "stripe-signature": signature },
          body: payload,
        });
        delivery.status = res.status;
        await res.body?.cancel();
        if (res.ok) return;
      } catch {
        delivery.status = null;
      }
    }
  }

  return {
    deliveries,
    enabled: Boolean(opts.url && opts.secret),
    send(event: StripeEvent): void {
      const { url, secret } = opts;
      if (!url || !secret || closed) return;
      queue = queue.then(() => deliver(event, url, secret));
    },
    /** Resolves once every event sent so far has been delivered or given up on. */
    idle(): Promise<void> {
      return queue;
    },
    close(): void {
      closed = true;
    },
  };
}
