import { describe, expect, it } from "vitest";
import { chargeFor, roundUpToIncrement, secondsAffordable, talkSeconds } from "../../src/billing/rating";
import { divideRoundingUp } from "../../src/billing/rounding";

const MIN = { firstBlockSec: 60, stepSec: 60 };
const SEC = { firstBlockSec: 1, stepSec: 1 };
const SIX = { firstBlockSec: 30, stepSec: 6 };

describe("roundUpToIncrement", () => {
  // seconds talked → billable seconds for 60/60, 1/1 and 30/6
  const table: [number, number, number, number][] = [
    [0, 0, 0, 0],
    [1, 60, 1, 30],
    [30, 60, 30, 30],
    [59, 60, 59, 60],
    [60, 60, 60, 60],
    [61, 120, 61, 66],
    [90, 120, 90, 90],
    [119, 120, 119, 120],
    [120, 120, 120, 120],
    [121, 180, 121, 126],
    [3600, 3600, 3600, 3600],
  ];
  it.each(table)("%i s → %i (60/60), %i (1/1), %i (30/6)", (talked, perMinute, perSecond, thirtySix) => {
    expect(roundUpToIncrement(talked, MIN)).toBe(perMinute);
    expect(roundUpToIncrement(talked, SEC)).toBe(perSecond);
    expect(roundUpToIncrement(talked, SIX)).toBe(thirtySix);
  });
});

describe("chargeFor", () => {
  // billable seconds × rate (minor units per minute) → charge, rounded up to the next minor unit
  const table: [number, number, number | undefined, number][] = [
    [0, 199, undefined, 0],
    [60, 199, undefined, 199],
    [61, 199, undefined, 203], // 61 × 199 / 60 = 202.3 → 203
    [120, 199, undefined, 398],
    [30, 199, undefined, 100], // 99.5 → 100
    [30, 100, undefined, 50],
    [66, 100, undefined, 110],
    [3600, 199, undefined, 11940],
    [3600, 199, 5000, 5000], // capped at the hold
    [60, 199, 5000, 199], // cap not reached
    [1, 1, undefined, 1], // any talk costs at least one minor unit
  ];
  it.each(table)("%i s at %i/min (cap %s) → %i", (billable, rate, cap, expected) => {
    expect(chargeFor(billable, rate, cap)).toBe(expected);
  });
});

describe("secondsAffordable", () => {
  it.each([
    [5000, 199, MIN, 1500], // 25 whole minutes: 4975 ≤ 5000 < 5174
    [5000, 199, SEC, 1507],
    [5000, 199, SIX, 1506],
    [199, 199, MIN, 60],
    [100, 199, MIN, 0], // the hold does not even cover the first block
    [6000, 100, MIN, 3600],
  ])("hold %i at %i/min → %i s", (hold, rate, increment, expected) => {
    expect(secondsAffordable(hold, rate, increment)).toBe(expected);
  });

  it("is exactly the longest talk whose charge fits the hold, for every increment", () => {
    for (const increment of [MIN, SEC, SIX, { firstBlockSec: 60, stepSec: 1 }]) {
      for (const [hold, rate] of [
        [5000, 199],
        [2500, 350],
        [999, 7],
        [100_00, 299],
      ] as const) {
        const limit = secondsAffordable(hold, rate, increment);
        expect(chargeFor(roundUpToIncrement(limit, increment), rate)).toBeLessThanOrEqual(hold);
        expect(chargeFor(roundUpToIncrement(limit + 1, increment), rate)).toBeGreaterThan(hold);
      }
    }
  });

  it("is unbounded for a free rate", () => {
    expect(secondsAffordable(5000, 0, MIN)).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("talkSeconds and the rounding rule", () => {
  it("counts whole seconds between event times, dropping the partial second", () => {
    expect(talkSeconds(1_000, 61_000)).toBe(60);
    expect(talkSeconds(1_000, 61_999)).toBe(60);
    expect(talkSeconds(5_000, 4_000)).toBe(0);
  });

  it("divideRoundingUp rounds up and refuses non-integers", () => {
    expect(divideRoundingUp(120, 60)).toBe(2);
    expect(divideRoundingUp(121, 60)).toBe(3);
    expect(divideRoundingUp(0, 60)).toBe(0);
    expect(() => divideRoundingUp(1.5, 60)).toThrow(RangeError);
    expect(() => divideRoundingUp(10, 0)).toThrow(RangeError);
  });
});
