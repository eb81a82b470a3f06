/**
 * How long a failed outbox command waits before its next try, and what happens when it keeps
 * failing, by its handler's policy. "call" commands are time-bound (a caller is listening: a speak
 * minutes late is worse than none) and given up; "money" is never given up, only spaced out (and
 * reported as stuck); "work" moves to the dead-letter list so it never holds its lane.
 */
import type { RetryPolicy } from "../src/engine/effect";

export const MAX_CALL_ATTEMPTS = 6;
export const MAX_WORK_ATTEMPTS = 8;
/** A money command failing this many times in a row raises an error line (and again every as many). */
export const MONEY_ALERT_EVERY = 8;
/** Dead letters are tried again on their own this often (an operator can retry sooner). */
export const DEAD_LETTER_RETRY_MS = 60 * 60_000;

export type RetryPlan =
  { kind: "retry"; delayMs: number; alert: boolean } | { kind: "give_up" } | { kind: "dead_letter" };

/** `attempts` counts the failures so far, this one included. */
export function planRetry(policy: RetryPolicy, attempts: number): RetryPlan {
  if (policy === "call" && attempts >= MAX_CALL_ATTEMPTS) return { kind: "give_up" };
  if (policy === "work" && attempts >= MAX_WORK_ATTEMPTS) return { kind: "dead_letter" };
  const cap = policy === "call" ? 30_000 : 300_000;
  return {
    kind: "retry",
    delayMs: Math.min(500 * 2 ** attempts, cap),
    alert: policy === "money" && attempts % MONEY_ALERT_EVERY === 0,
  };
}
