/**
 * Rating a card call: longest-prefix match (with validity windows), billing increments (60/60,
 * 60/1, 30/6, 6/6), connect fees, package seconds first and the one rounding rule — checked by
 * examples and by fast-check properties over random decks and durations against a plain
 * reference (a linear scan, block-by-block billing, BigInt arithmetic).
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildRateTable, type RateRow } from "../../src/products/calling-card/rating/rate-table";
import {
  chargeCall,
  microsPerMinor,
  secondsAffordable,
  taxOn,
  type CallRate,
} from "../../src/products/calling-card/rating/pricing";

const row = (prefix: string, sell: number, extra: Partial<RateRow> = {}): RateRow => ({
  prefix,
  destination: `dest ${prefix}`,
  sellRate: sell,
  buyRate: Math.floor(sell / 2),
  firstBlockSec: 60,
  stepSec: 60,
  connectFee: 0,
  validFrom: null,
  validTo: null,
  ...extra,
});

/** The plain reference: every row valid at `at` whose prefix starts the number, the longest wins. */
function referenceLookup(rows: RateRow[], digits: string, at: number): RateRow | null {
  let best: RateRow | null = null;
  for (const r of rows) {
    const valid = (r.validFrom === null || at >= r.validFrom) && (r.validTo === null || at < r.validTo);
    if (valid && digits.startsWith(r.prefix) && (!best || r.prefix.length > best.prefix.length)) best = r;
  }
  return best;
}

/** Block by block, in BigInt: the billed seconds and the amount, rounded up once. */
function referenceCharge(talked: number, rate: CallRate, currency: string, packageLeft: number) {
  if (talked <= 0) return { billableSeconds: 0, packageSeconds: 0, amount: 0 };
  let billed = rate.firstBlockSec;
  while (billed < talked) billed += rate.stepSec;
  const free = Math.min(billed, packageLeft);
  const micros = BigInt(rate.connectFee) * 60n + BigInt(billed - free) * BigInt(rate.sellRate);
  const per = 60n * BigInt(microsPerMinor(currency));
  const amount = Number((micros + per - 1n) / per);
  return { billableSeconds: billed, packageSeconds: free, amount };
}

describe("longest-prefix rating", () => {
  const deck = [
    row("1", 10_000),
    row("1212", 30_000),
    row("44", 60_000),
    row("447", 150_000),
    row("4479", 200_000),
  ];
  const table = buildRateTable(deck);

  it("picks the longest prefix, falls back to a shorter one, and rates nothing without one", () => {
    expect(table.lookup("12125551234", 0)?.prefix).toBe("1212");
    expect(table.lookup("13125551234", 0)?.prefix).toBe("1");
    expect(table.lookup("447700900123", 0)?.prefix).toBe("447");
    expect(table.lookup("447900900123", 0)?.prefix).toBe("4479");
    expect(table.lookup("442079460000", 0)?.prefix).toBe("44");
    expect(table.lookup("33142278186", 0)).toBeNull();
  });

  it("skips a rate outside its validity window, so the next shorter prefix rates the call", () => {
    const t = buildRateTable([row("44", 60_000), row("447", 150_000, { validFrom: 1000, validTo: 2000 })]);
    expect(t.lookup("447700900123", 500)?.prefix).toBe("44");
    expect(t.lookup("447700900123", 1500)?.prefix).toBe("447");
    expect(t.lookup("447700900123", 2000)?.prefix).toBe("44");
  });

  it("matches the linear-scan reference on random decks, numbers and times", () => {
    const prefix = fc.stringMatching(/^[1-9][0-9]{0,5}$/);
    const rateRow = fc.record({
      prefix,
      sell: fc.integer({ min: 0, max: 5_000_000 }),
      validFrom: fc.option(fc.integer({ min: 0, max: 100 }), { nil: null }),
      validTo: fc.option(fc.integer({ min: 50, max: 200 }), { nil: null }),
    });
    fc.assert(
      fc.property(
        fc.array(rateRow, { maxLength: 60 }),
        fc.array(fc.stringMatching(/^[1-9][0-9]{5,14}$/), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 0, max: 250 }),
        (rows, numbers, at) => {
          const deckRows = rows.map((r) =>
            row(r.prefix, r.sell, { validFrom: r.validFrom, validTo: r.validTo }),
          );
          const t = buildRateTable(deckRows);
          // Numbers that start with a deck prefix as well as random ones.
          const probes = [...numbers, ...deckRows.map((r) => `${r.prefix}5551234`)];
          for (const n of probes) expect(t.lookup(n, at)).toBe(referenceLookup(deckRows, n, at));
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("a call's charge", () => {
  const uk: CallRate = { sellRate: 60_000, buyRate: 20_000, firstBlockSec: 60, stepSec: 60, connectFee: 0 };

  it("bills whole increments, adds the connect fee, rounds up once", () => {
    expect(chargeCall(90, uk, "usd")).toEqual({
      billableSeconds: 120,
      packageSeconds: 0,
      amount: 12,
      costMicros: 40_000,
    });
    expect(chargeCall(0, uk, "usd").amount).toBe(0);
    // 30/6 at 0.0150/min + 0.05 connect fee: 31 s → 36 s → 0.009 + 0.05 = 0.059 → 6 cents.
    const fine: CallRate = {
      sellRate: 15_000,
      buyRate: 5_000,
      firstBlockSec: 30,
      stepSec: 6,
      connectFee: 50_000,
    };
    expect(chargeCall(31, fine, "usd")).toMatchObject({ billableSeconds: 36, amount: 6 });
    // 60/1: 61 s is 61 s; 6/6: 7 s is 12 s.
    expect(chargeCall(61, { ...uk, stepSec: 1 }, "usd").billableSeconds).toBe(61);
    expect(chargeCall(7, { ...uk, firstBlockSec: 6, stepSec: 6 }, "usd").billableSeconds).toBe(12);
    // The currency's own minor unit: JPY has none, KWD has three decimals.
    expect(chargeCall(60, { ...uk, sellRate: 5_000_000 }, "jpy").amount).toBe(5);
    expect(chargeCall(60, { ...uk, sellRate: 1_234_500 }, "kwd").amount).toBe(1235);
  });

  it("takes package seconds first (in billed seconds); the rest is charged", () => {
    expect(chargeCall(90, uk, "usd", 60)).toMatchObject({
      billableSeconds: 120,
      packageSeconds: 60,
      amount: 6,
    });
    expect(chargeCall(90, uk, "usd", 600)).toMatchObject({ packageSeconds: 120, amount: 0 });
  });

  it("taxes round up too", () => {
    expect(taxOn(100, 88_750)).toBe(9);
    expect(taxOn(0, 88_750)).toBe(0);
  });

  const increments = fc.constantFrom([60, 60], [60, 1], [30, 6], [6, 6], [1, 1]);
  const anyRate = fc.record({
    inc: increments,
    sellRate: fc.integer({ min: 0, max: 3_000_000 }),
    connectFee: fc.integer({ min: 0, max: 500_000 }),
  });
  const currency = fc.constantFrom("usd", "jpy", "kwd", "sek");

  it("matches the block-by-block reference for random durations, rates and packages", () => {
    fc.assert(
      fc.property(
        anyRate,
        fc.integer({ min: 0, max: 14_400 }),
        fc.integer({ min: 0, max: 3_600 }),
        currency,
        (r, talked, pkg, cur) => {
          const rate: CallRate = {
            sellRate: r.sellRate,
            buyRate: 0,
            firstBlockSec: r.inc[0],
            stepSec: r.inc[1],
            connectFee: r.connectFee,
          };
          const got = chargeCall(talked, rate, cur, pkg);
          expect({
            billableSeconds: got.billableSeconds,
            packageSeconds: got.packageSeconds,
            amount: got.amount,
          }).toEqual(referenceCharge(talked, rate, cur, pkg));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("cutoff from balance: the longest affordable talk costs at most the balance; one more step costs more", () => {
    fc.assert(
      fc.property(
        anyRate,
        fc.integer({ min: 0, max: 100_000 }),
        fc.integer({ min: 0, max: 600 }),
        currency,
        (r, balance, pkg, cur) => {
          const rate: CallRate = {
            sellRate: r.sellRate,
            buyRate: 0,
            firstBlockSec: r.inc[0],
            stepSec: r.inc[1],
            connectFee: r.connectFee,
          };
          const max = 14_400;
          const limit = secondsAffordable(balance, rate, cur, pkg, max);
          if (limit > 0) expect(chargeCall(limit, rate, cur, pkg).amount).toBeLessThanOrEqual(balance);
          const next = limit === 0 ? rate.firstBlockSec : limit + rate.stepSec;
          if (next <= max) expect(chargeCall(next, rate, cur, pkg).amount).toBeGreaterThan(balance);
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
