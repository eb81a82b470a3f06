/**
 * AuthThrottle: one Durable Object per API client (see client-key.ts) that counts its failed
 * bearer-token checks in a sliding window. The auth middleware asks it before any token lookup, so
 * a client that keeps guessing gets 429 without reaching the database. Only failure times are
 * stored (never a token); an alarm deletes them once the window has passed, so idle clients cost
 * nothing. Times come from the caller, so the window is testable without waiting.
 */
import { DurableObject } from "cloudflare:workers";

/** 10 wrong tokens a minute is far more than a person mistyping, far too few to guess one. */
export const AUTH_FAILURE_LIMIT = 10;
export const AUTH_FAILURE_WINDOW_MS = 60_000;

export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSec: number };

const FAILURES = "failures";

export class AuthThrottle extends DurableObject<Env> {
  /** May this client try a token at `now`? If not, in how many seconds it may. Writes nothing. */
  check(now: number): ThrottleVerdict {
    const times = this.failuresSince(now - AUTH_FAILURE_WINDOW_MS);
    if (times.length < AUTH_FAILURE_LIMIT) return { allowed: true };
    // Sorted oldest first: once this one leaves the window, the count drops below the limit.
    const freedAt = times[times.length - AUTH_FAILURE_LIMIT]! + AUTH_FAILURE_WINDOW_MS;
    return { allowed: false, retryAfterSec: Math.max(1, Math.ceil((freedAt - now) / 1000)) };
  }

  async recordFailure(now: number): Promise<void> {
    const times = [...this.failuresSince(now - AUTH_FAILURE_WINDOW_MS), now].sort((a, b) => a - b);
    this.ctx.storage.kv.put(FAILURES, times);
    if ((await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(now + AUTH_FAILURE_WINDOW_MS);
    }
  }

  override async alarm(): Promise<void> {
    const times = this.failuresSince(Date.now() - AUTH_FAILURE_WINDOW_MS);
    if (times.length === 0) {
      await this.ctx.storage.deleteAll();
      return;
    }
    this.ctx.storage.kv.put(FAILURES, times);
    await this.ctx.storage.setAlarm(times[times.length - 1]! + AUTH_FAILURE_WINDOW_MS);
  }

  private failuresSince(start: number): number[] {
    return (this.ctx.storage.kv.get<number[]>(FAILURES) ?? []).filter((at) => at > start);
  }
}
