/**
 * A card call's money, in integers: rates and connect fees in micro-units of the currency's major
 * unit (per minute for rates), amounts in minor units. Talk is billed by the rate's increment
 * (first block + steps); package seconds are taken from the billed seconds first; the rest is
 * charged at the sell rate, plus the connect fee, rounded once — by divideRoundingUp, the
 * project's one rounding rule. Also the inverse: the longest talk an amount pays for (the cutoff).
 */
import { minorUnitExponent } from "../../../billing/currency";
import { roundUpToIncrement, type BillingIncrement } from "../../../billing/rating";
import { divideRoundingUp } from "../../../billing/rounding";

export interface CallRate {
  /** Micro-units per minute. */
  sellRate: number;
  buyRate: number;
  firstBlockSec: number;
  stepSec: number;
  /** Micro-units per connected call. */
  connectFee: number;
}

/** Micro-units in one minor unit: 10 000 for USD cents, 1 000 000 for JPY, 1 000 for KWD fils. */
export const microsPerMinor = (currency: string): number => 10 ** (6 - minorUnitExponent(currency));

export const incrementOf = (rate: CallRate): BillingIncrement => ({
  firstBlockSec: rate.firstBlockSec,
  stepSec: rate.stepSec,
});

export interface CallCharge {
  billableSeconds: number;
  /** Billed seconds the package paid for. */
  packageSeconds: number;
  /** What the card pays for the talk and the connect fee (minor units). */
  amount: number;
  /** What the call costs at the buy rate (micro-units, rounded up to a whole micro-unit). */
  costMicros: number;
}

/** Rates a finished call: `talkedSec` whole seconds of talk, `packageLeft` free seconds still unused. */
export function chargeCall(talkedSec: number, rate: CallRate, currency: string, packageLeft = 0): CallCharge {
  if (talkedSec <= 0) return { billableSeconds: 0, packageSeconds: 0, amount: 0, costMicros: 0 };
  const billableSeconds = roundUpToIncrement(talkedSec, incrementOf(rate));
  const packageSeconds = Math.min(billableSeconds, Math.max(0, packageLeft));
  const paidSeconds = billableSeconds - packageSeconds;
  const amount = divideRoundingUp(
    rate.connectFee * 60 + paidSeconds * rate.sellRate,
    60 * microsPerMinor(currency),
  );
  const costMicros = divideRoundingUp(billableSeconds * rate.buyRate, 60);
  return { billableSeconds, packageSeconds, amount, costMicros };
}

/**
 * The longest talk (whole seconds, on an increment boundary) whose charge stays within
 * `amountMinor`, with `packageLeft` free seconds first; never more than `maxSec`. 0 when not even
 * the connect fee and the first block are covered.
 */
export function secondsAffordable(
  amountMinor: number,
  rate: CallRate,
  currency: string,
  packageLeft: number,
  maxSec: number,
): number {
  const budget = amountMinor * 60 * microsPerMinor(currency) - rate.connectFee * 60;
  if (budget < 0) return 0;
  const paid = rate.sellRate > 0 ? Math.floor(budget / rate.sellRate) : maxSec;
  const billable = Math.min(maxSec, Math.max(0, packageLeft) + paid);
  if (billable < rate.firstBlockSec) return 0;
  return rate.firstBlockSec + Math.floor((billable - rate.firstBlockSec) / rate.stepSec) * rate.stepSec;
}

/** The amount to reserve for a call of up to `maxSec`: what such a call would cost in full. */
export const costOfLongestCall = (
  rate: CallRate,
  currency: string,
  packageLeft: number,
  maxSec: number,
): number => chargeCall(maxSec, rate, currency, packageLeft).amount;

/** Tax on an amount at a rate in parts per million, rounded up like every charge. */
export const taxOn = (amountMinor: number, ratePpm: number): number =>
  ratePpm > 0 && amountMinor > 0 ? divideRoundingUp(amountMinor * ratePpm, 1_000_000) : 0;
