/**
 * The one rounding rule for money: integer division rounding up (towards +∞ for non-negative
 * inputs). Every charge goes through it, so a reader finds the rounding in exactly one place.
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
