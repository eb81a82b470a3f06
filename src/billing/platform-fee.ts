/**
 * The platform's share of a merchant's charge: a rate in basis points (1/100 of a percent) of the
 * amount actually taken, rounded down. 0 = "100% payout". Sized to the captured amount, never the
 * hold: Stripe collects a hold's original application fee (capped at the capture) unless told anew.
 */
import { divideRoundingDown } from "./rounding";

export const BASIS_POINTS = 10_000;

export function platformFeeOf(amount: number, feeBasisPoints: number): number {
  return divideRoundingDown(amount * feeBasisPoints, BASIS_POINTS);
}
