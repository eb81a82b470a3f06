// The agent line's money, öre exact: what a call's order comes to (increments, discounts,
// overrides, per-call articles), VAT per rate on an invoice, OCR payment references (Luhn), the
// credit-limit rule, and numbers read as E.164.
import { describe, expect, it } from "vitest";
import { toE164 } from "../../src/phone/e164";
import { isValidOcr, luhnCheckDigit, ocrFor, ocrReference } from "../../src/products/agent-line/ocr";
import { invoiceTotals, lineAmount } from "../../src/products/agent-line/invoicing/invoice-math";
import { raisedLimit } from "../../src/products/agent-line/line-rules";
import {
  effectivePricePerMinute,
  orderAmount,
  talkAffordable,
  vatOf,
} from "../../src/products/agent-line/pricing";

const perMinute = { firstBlockSec: 60, stepSec: 60 };
const halfMinutes = { firstBlockSec: 60, stepSec: 30 };
const perSecond = { firstBlockSec: 1, stepSec: 1 };
const price = (pricePerMinute: number, perCall = 0) => ({
  articleNr: "100",
  pricePerMinute,
  vatRateBp: 2500,
  perCall,
});

describe("an order's amount", () => {
  it.each([
    // talk s, increment, list price, discount bp, override, per call → billable s, öre
    [61, perMinute, 1990, 0, null, 495, 120, 3980 + 495],
    [60, perMinute, 1990, 0, null, 495, 60, 1990 + 495],
    [1, perMinute, 1990, 0, null, 0, 60, 1990],
    [61, halfMinutes, 1990, 0, null, 0, 90, 2985],
    [61, perSecond, 1990, 0, null, 0, 61, 2024], // 61 × 1990 / 60 = 2023.17 → 2024
    [125, perMinute, 1990, 1000, null, 0, 180, 3 * 1791], // 10 % off 19.90 = 17.91
    [60, perMinute, 1990, 1500, null, 0, 60, 1692], // 15 % off = 16.915 → 16.92
    [59, perMinute, 1990, 1000, 1500, 0, 60, 1500], // an override wins over the discount
    [0, perMinute, 1990, 0, null, 495, 0, 0], // no talk: no fee either
  ])(
    "%i s on %o at %i öre/min, %i bp off, override %s, %i per call → %i s, %i öre",
    (talk, inc, list, discount, override, perCall, billable, amount) => {
      const effective = effectivePricePerMinute(list, discount, override);
      expect(orderAmount(talk, inc, price(effective, perCall))).toMatchObject({
        billableSeconds: billable,
        amount,
      });
    },
  );

  it("a reservation pays for whole increments after the per-call fee", () => {
    expect(talkAffordable(5000, perMinute, price(1990, 495))).toBe(120);
    expect(talkAffordable(2484, perMinute, price(1990, 495))).toBe(0);
    expect(talkAffordable(20_395, perMinute, price(1990, 495))).toBe(600);
  });
});

describe("invoice figures", () => {
  it("VAT per rate over that rate's lines, discounts included; totals with VAT", () => {
    const totals = invoiceTotals([
      { amount: 4475, vatRateBp: 2500 },
      { amount: -500, vatRateBp: 2500 },
      { amount: 1000, vatRateBp: 600 },
    ]);
    expect(totals).toEqual({
      net: 4975,
      vat: 994 + 60, // 25 % of 39.75 = 9.9375 → 9.94; 6 % of 10.00
      total: 6029,
      byRate: [
        { vatRateBp: 600, net: 1000, vat: 60 },
        { vatRateBp: 2500, net: 3975, vat: 994 },
      ],
    });
    expect(vatOf(-4475, 2500)).toBe(-1119);
  });

  it("a line is quantity (thousandths) × unit price", () => {
    expect(lineAmount(2500, 1990)).toBe(4975);
    expect(lineAmount(1500, 333)).toBe(500); // 499.5 → 500
    expect(lineAmount(1000, -500)).toBe(-500);
    expect(lineAmount(0, 1990)).toBe(0);
  });
});

describe("OCR payment references", () => {
  it("uses the Luhn check digit (the textbook example 7992739871 → 3)", () => {
    expect(luhnCheckDigit("7992739871")).toBe(3);
    expect(isValidOcr("79927398713")).toBe(true); // its length digit (1) happens to be right too
  });

  it("appends a length digit and a check digit; a typo or a swapped pair is caught", () => {
    expect(ocrReference("1234")).toBe("123463");
    const ref = ocrFor("A", 17);
    expect(ref).toBe("6500001703");
    expect(isValidOcr(ref)).toBe(true);
    expect(isValidOcr("6500001803")).toBe(false);
    expect(isValidOcr("6500007103")).toBe(false);
    expect(isValidOcr("650000170")).toBe(false);
  });

  it("every invoice of a series gets a different, valid reference", () => {
    const refs = Array.from({ length: 500 }, (_, i) => ocrFor("A", i + 1));
    expect(new Set(refs).size).toBe(500);
    expect(refs.every(isValidOcr)).toBe(true);
    expect(ocrFor("B", 1)).not.toBe(ocrFor("A", 1));
  });
});

describe("the credit-limit rule on payment", () => {
  const rule = { creditRaise: { perPaidInvoice: 50_000, cap: 500_000 } };
  it("raises by the step, stops at the cap, never lowers a limit set above it", () => {
    expect(raisedLimit(100_000, rule)).toBe(150_000);
    expect(raisedLimit(480_000, rule)).toBe(500_000);
    expect(raisedLimit(600_000, rule)).toBe(600_000);
  });
});

describe("numbers as E.164", () => {
  it.each([
    ["08-123 45 67", "SE", "+4681234567"],
    ["070-123 45 67", "SE", "+46701234567"],
    ["+46 8 123 45 67", "SE", "+4681234567"],
    ["0046 8 1234567", "SE", "+4681234567"],
    ["(08) 123.45.67", "SE", "+4681234567"],
    ["22 33 44 55", "NO", "+4722334455"],
    ["1 (415) 555-0100", "US", "+14155550100"],
  ])("%s in %s → %s", (input, country, e164) => {
    expect(toE164(input, country)).toBe(e164);
  });

  it.each(["", "abc", "08-12x", "+0123"])("refuses %j", (input) => {
    expect(toE164(input, "SE")).toBeNull();
  });
});
