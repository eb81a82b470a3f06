/**
 * Rating a call: talk time → billable seconds (first block + steps, rounded up) → amount in integer
 * minor units, capped at the hold. Also the inverse, the longest talk a hold can pay for, which
 * sets the cutoff. Integers only; the rounding lives in divideRoundingUp.
 */
import { divideRoundingUp } from "./rounding";

export interface BillingIncrement {
  /** The first block billed as soon as talk starts (e.g. 60 = first minute whole). */
  firstBlockSec: number;
  /** Each later block (e.g. 60 = whole minutes, 6 = six-second steps, 1 = per second). */
  stepSec: number;
}

export const WHOLE_MINUTES: BillingIncrement = { firstBlockSec: 60, stepSec: 60 };

/** Whole seconds between two event times (ms), partial seconds dropped in the caller's favour. */
export function talkSeconds(startMs: number, endMs: number): number {
  return Math.max(0, Math.floor((endMs - startMs) / 1000));
}

/** 0 → 0; up to the first block → the first block; then the first block plus whole steps, rounded up. */
export function roundUpToIncrement(seconds: number, increment: BillingIncrement): number {
  if (seconds <= 0) return 0;
  if (seconds <= increment.firstBlockSec) return increment.firstBlockSec;
  return (
    increment.firstBlockSec +
    divideRoundingUp(seconds - increment.firstBlockSec, increment.stepSec) * increment.stepSec
  );
}

/** ceil(billable × rate / 60) minor units, never more than `capMinor` (the hold) when given. */
export function chargeFor(billableSeconds: number, ratePerMinuteMinor: number, capMinor?: number): number {
  const charge = divideRoundingUp(billableSeconds * ratePerMinuteMinor, 60);
  return capMinor === undefined ? charge : Math.min(charge, capMinor);
}

/**
 * The longest talk time (s) whose charge stays within `holdMinor`: the largest increment boundary B
 * with B × rate ≤ hold × 60. Infinity for a free rate (the caller must then bound the call).
 */
export function secondsAffordable(
  holdMinor: number,
  ratePerMinuteMinor: number,
  increment: BillingIncrement,
): number {
  if (ratePerMinuteMinor <= 0) return Number.POSITIVE_INFINITY;
  const maxBillable = Math.floor((holdMinor * 60) / ratePerMinuteMinor);
  if (maxBillable < increment.firstBlockSec) return 0;
  const steps = Math.floor((maxBillable - increment.firstBlockSec) / increment.stepSec);
  return increment.firstBlockSec + steps * increment.stepSec;
}
