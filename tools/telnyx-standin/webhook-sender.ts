/**
 * Delivers signed Call Control v2 webhooks like Telnyx does: the v2 envelope, an Ed25519 signature
 * over `${timestamp}|${rawBody}`, redelivery of the same event id (attempt+1) on non-2xx or failure.
 * In-order per call session by default; the DeliveryMode can duplicate, drop, delay or reorder,
 * from a seeded PRNG. Knows nothing about calls beyond the payload it is handed.
 */
import { randomUUID } from "node:crypto";
import { createPrng, type Prng } from "./prng";
import type { SigningKey } from "./signing-key";
import type { DeliveryMode, WebhookAttempt } from "./types";

/** Redeliveries after the first attempt (Telnyx retries a few times, then gives up). */
const MAX_RETRIES = 3;
const RETRY_BASE_MS = 1000;

type Pending = { id: string; eventType: string; occurredAt: string; payload: Record<string, unknown> };

export type WebhookSender = {
  emit(sessionId: string, eventType: string, payload: Record<string, unknown>): void;
  setDelivery(mode: DeliveryMode): void;
  attempts: WebhookAttempt[];
  close(): Promise<void>;
};

export function createWebhookSender(opts: {
  url: string;
  key: SigningKey;
  delivery: DeliveryMode;
  scale: (ms: number) => number;
}): WebhookSender {
  let mode = opts.delivery;
  let prng: Prng = createPrng(mode.seed ?? 1);
  const chains = new Map<string, Promise<void>>();
  const inFlight = new Set<Promise<void>>();
  const timers = new Set<NodeJS.Timeout>();
  const abort = new AbortController();
  const attempts: WebhookAttempt[] = [];

  const chance = (p: number | boolean | undefined): boolean =>
    p === true ? true : typeof p === "number" && p > 0 ? prng() < p : false;
  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  const track = (p: Promise<void>): Promise<void> => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    return p;
  };

  async function post(ev: Pending, attempt: number): Promise<boolean> {
    const body = JSON.stringify({
      data: {
        record_type: "event",
        event_type: ev.eventType,
        id: ev.id,
        occurred_at: ev.occurredAt,
        payload: ev.payload,
      },
      meta: { attempt, delivered_to: opts.url },
    });
    const sentAt = Date.now();
    const timestamp = String(Math.floor(sentAt / 1000));
    let status: number;
    try {
      const res = await fetch(opts.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "user-agent": "telnyx-webhooks-standin",
          "telnyx-timestamp": timestamp,
          "telnyx-signature-ed25519": opts.key.sign(`${timestamp}|${body}`),
        },
        body,
        signal: AbortSignal.any([abort.signal, AbortSignal.timeout(mode.timeoutMs ?? 5000)]),
      });
      status = res.status;
      await res.body?.cancel();
    } catch {
      status = 0;
    }
    const callControlId = ev.payload.call_control_id;
    const sessionId = ev.payload.call_session_id;
    attempts.push({
      id: ev.id,
      call_session_id: typeof sessionId === "string" ? sessionId : undefined,
      sentAt,
      event_type: ev.eventType,
      call_control_id: typeof callControlId === "string" ? callControlId : undefined,
      attempt,
      status,
    });
    return status >= 200 && status < 300;
  }

  async function deliver(ev: Pending, attempt: number): Promise<void> {
    if (abort.signal.aborted) return;
    if (mode.delayMs) await new Promise((r) => later(mode.delayMs ?? 0, () => r(undefined)));
    const ok = await post(ev, attempt);
    if (ok && attempt === 1 && chance(mode.duplicate)) await post(ev, attempt);
    if (!ok && attempt <= MAX_RETRIES && !abort.signal.aborted) {
      // A retry goes behind whatever was emitted meanwhile, as a late Telnyx redelivery would.
      later(opts.scale(RETRY_BASE_MS * attempt), () => void track(deliver(ev, attempt + 1)));
    }
  }

  function emit(sessionId: string, eventType: string, payload: Record<string, unknown>): void {
    const ev: Pending = { id: randomUUID(), eventType, occurredAt: new Date().toISOString(), payload };
    if (abort.signal.aborted || chance(mode.drop)) return;
    if (mode.reorder) {
      later(Math.floor(prng() * Math.max(mode.delayMs ?? 0, 40)), () => void track(deliver(ev, 1)));
      return;
    }
    const prev = chains.get(sessionId) ?? Promise.resolve();
    const next = track(prev.then(() => deliver(ev, 1)));
    chains.set(sessionId, next);
    void next.finally(() => {
      if (chains.get(sessionId) === next) chains.delete(sessionId);
    });
  }

  return {
    emit,
    attempts,
    setDelivery(next) {
      mode = next;
      prng = createPrng(next.seed ?? 1);
    },
    async close() {
      abort.abort();
      for (const t of timers) clearTimeout(t);
      timers.clear();
      await Promise.allSettled([...inFlight]);
    },
  };
}
