/**
 * How long a failed outbox command waits before its next try, and when it is given up. Telnyx
 * commands are time-bound (a caller is listening: a speak minutes late is worse than none);
 * money movements and call records are never given up, only spaced out.
 */
import type { Command } from "../src/ivr/types";
import { isTelnyxCommand } from "../src/telnyx/commands";

export const MAX_TELNYX_ATTEMPTS = 6;

export type RetryPlan = { giveUp: true } | { giveUp: false; delayMs: number };

/** `attempts` counts the failures so far, this one included. */
export function planRetry(command: Command, attempts: number): RetryPlan {
  const telnyx = isTelnyxCommand(command);
  if (telnyx && attempts >= MAX_TELNYX_ATTEMPTS) return { giveUp: true };
  return { giveUp: false, delayMs: Math.min(500 * 2 ** attempts, telnyx ? 30_000 : 300_000) };
}
