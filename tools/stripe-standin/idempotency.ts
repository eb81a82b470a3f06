/**
 * Stripe's Idempotency-Key semantics: the first answer for a key is saved and replayed byte for
 * byte; the same key with other parameters (or another endpoint) is an idempotency_error.
 * Requests are compared by a keyed fingerprint, so no request body (card data) is kept.
 */
import { createHmac, randomBytes } from "node:crypto";
import { errorReply, type Reply } from "./objects";

export interface Answer {
  status: number;
  body: string;
  requestId: string;
}

export type Lookup =
  { kind: "new" } | { kind: "replay"; answer: Answer } | { kind: "mismatch"; reply: Reply };

const fingerprintKey = randomBytes(32);

export function requestFingerprint(method: string, path: string, pairs: [string, string][]): string {
  const canonical = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).sort();
  return createHmac("sha256", fingerprintKey)
    .update(`${method} ${path}\n${canonical.join("&")}`)
    .digest("hex");
}

/**
 * Stripe saves no result for requests refused before an endpoint ran (bad params, auth, rate
 * limits, a 5xx from in front of the API) — but an endpoint that began and failed with a 500 is
 * saved like any answer, and replayed for every later request with that key.
 */
export function isSavable(reply: Reply): boolean {
  return reply.replayable !== false && reply.status !== 401 && reply.status !== 429;
}

export function createIdempotencyStore() {
  const saved = new Map<string, { fingerprint: string; answer: Answer }>();
  return {
    lookup(key: string, fingerprint: string): Lookup {
      const entry = saved.get(key);
      if (!entry) return { kind: "new" };
      if (entry.fingerprint === fingerprint) return { kind: "replay", answer: entry.answer };
      const message = `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`;
      return { kind: "mismatch", reply: errorReply(400, { type: "idempotency_error", message }, false) };
    },
    save(key: string, fingerprint: string, answer: Answer): void {
      saved.set(key, { fingerprint, answer });
    },
  };
}
