/**
 * The rounding rules for money, in one place: integer division rounding up (towards +∞ for
 * non-negative inputs) for every charge to a caller, and rounding down for the platform's fee on
 * a merchant's charge (the merchant never pays a fraction above the agreed share).
 */
export function divideRoundingUp(numerator: number, denominator: number): number {
  if (
    !Number.isSafeInteger(numerator) ||
    !Number.isSafeInteger(denominator) ||
    denominator <= 0 ||
    numerator < 0
  ) {
    throw new RangeError("divideRoundingUp needs a non-negative safe integer over a positive one");
  }
  return Math.floor((numerator + denominator - 1) / denominator);
}

/** Integer division rounding down (towards 0 for non-negative inputs). */
export function divideRoundingDown(numerator: number, denominator: number): number {
  if (
    !Number.isSafeInteger(numerator) ||
    !Number.isSafeInteger(denominator) ||
    denominator <= 0 ||
    numerator < 0
  ) {
    throw new RangeError("divideRoundingDown needs a non-negative safe integer over a positive one");
  }
  return Math.floor(numerator / denominator);
}
