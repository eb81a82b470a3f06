// One ISO 4217 table for money in words and in exports: JPY has no decimals, SEK two, KWD three,
// CLF four; any other code two. Decimal forms are exact (no floating point), signs included.
import { describe, expect, it } from "vitest";
import { currencyName, minorToDecimal, minorUnitExponent } from "../../src/billing/currency";
import { spokenMoney } from "../../src/ivr/prompts";

describe("minorUnitExponent", () => {
  it.each([
    ["jpy", 0],
    ["KRW", 0],
    ["isk", 0],
    ["bif", 0],
    ["sek", 2],
    ["usd", 2],
    ["mga", 2],
    ["kwd", 3],
    ["BHD", 3],
    ["tnd", 3],
    ["clf", 4],
    ["xyz", 2],
  ])("%s has %i decimals", (currency, exponent) => {
    expect(minorUnitExponent(currency)).toBe(exponent);
  });
});

describe("minorToDecimal", () => {
  it.each([
    [12345, "sek", "123.45"],
    [5, "usd", "0.05"],
    [0, "eur", "0.00"],
    [-250, "eur", "-2.50"],
    [-5, "usd", "-0.05"],
    [1500, "kwd", "1.500"],
    [7, "bhd", "0.007"],
    [500, "jpy", "500"],
    [-500, "jpy", "-500"],
    [12345, "clf", "1.2345"],
    [900719925474099, "usd", "9007199254740.99"],
  ])("%i %s → %s", (amount, currency, text) => {
    expect(minorToDecimal(amount, currency)).toBe(text);
  });

  it("refuses amounts that are not whole minor units", () => {
    expect(() => minorToDecimal(1.5, "usd")).toThrow(RangeError);
    expect(() => minorToDecimal(Number.NaN, "usd")).toThrow(RangeError);
  });
});

describe("spoken money uses the same table", () => {
  it.each([
    [1500, "kwd", "1.500 Kuwaiti dinars"],
    [500, "jpy", "500 Japanese yen"],
    [12345, "sek", "123.45 Swedish kronor"],
    [1000, "bif", "1000 Burundian francs"],
    [7, "bhd", "0.007 Bahraini dinars"],
    [1000, "xyz", "10.00 XYZ"],
  ])("%i %s → %s", (amount, currency, text) => {
    expect(spokenMoney(amount, currency)).toBe(text);
    expect(text.startsWith(`${minorToDecimal(amount, currency)} `)).toBe(true);
  });

  it("names currencies for speech, and says the code of one it has no name for", () => {
    expect(currencyName("KWD")).toBe("Kuwaiti dinars");
    expect(currencyName("usd")).toBe("US dollars");
    expect(currencyName("xyz")).toBe("XYZ");
  });
});
