// The platform's fee on a merchant's charge: basis points of the amount taken, rounded down.
import { describe, expect, it } from "vitest";
import { platformFeeOf } from "../../src/billing/platform-fee";

describe("platformFeeOf", () => {
  it.each([
    [450, 0, 0],
    [450, 1000, 45],
    [2500, 250, 62], // 62.5 → 62: the merchant never pays a fraction above the agreed share
    [1, 9999, 0],
    [3000, 10_000, 3000],
  ])("%i at %i bp is %i", (amount, bps, fee) => {
    expect(platformFeeOf(amount, bps)).toBe(fee);
  });
});
