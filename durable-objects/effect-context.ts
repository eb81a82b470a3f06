/**
 * What an outbox effect runs with (the database and Stripe adapters, built once per object) and
 * what the shell makes of an error it throws.
 */
import { loadConfig } from "../src/config";
import { createDb } from "../src/db/client";
import type { EffectDeps, EffectOutcome } from "../src/engine/effect";
import { PaymentsRejectedError } from "../src/payments/payments";
import { createStripePayments } from "../src/payments/stripe-payments";
import { TelnyxError } from "../src/telnyx/telnyx-client";

/** Retry later, or final. */
export function classifyEffectError(err: unknown): EffectOutcome {
  if (err instanceof TelnyxError) {
    if (err.callEnded) return { kind: "drop", reason: "call already ended (90018)" };
    return err.retryable ? { kind: "retry", reason: err.message } : { kind: "drop", reason: err.message };
  }
  if (err instanceof PaymentsRejectedError) return { kind: "drop", reason: err.message };
  // Turso, Stripe or a sibling Durable Object unreachable: keep the command and try again later.
  return {
    kind: "retry",
    reason: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : "unknown error",
  };
}

export function createEffectDeps(env: Env): EffectDeps {
  const cache = new Map<string, unknown>();
  const memo = <T>(key: string, make: () => T): T => {
    if (!cache.has(key)) cache.set(key, make());
    return cache.get(key) as T;
  };
  return {
    env,
    memo,
    db: () =>
      memo("db", () => createDb(loadConfig(env).TURSO_DATABASE_URL, loadConfig(env).TURSO_AUTH_TOKEN)),
    payments: () =>
      memo("payments", () =>
        createStripePayments({
          secretKey: loadConfig(env).STRIPE_SECRET_KEY,
          apiBase: loadConfig(env).STRIPE_API_BASE,
        }),
      ),
  };
}
