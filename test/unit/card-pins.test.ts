/**
 * PIN generation: 100 000 PINs are all 12 digits, all different, leading zeros kept, and their
 * digits uniform (chi-square per position and overall, 9 degrees of freedom). Also the at-rest form: the keyed hash is stable and the ciphertext opens
 * only with its key.
 */
import { describe, expect, it } from "vitest";
import { generateDistinctPins, PIN_LENGTH } from "../../src/products/calling-card/pins/pin-codes";
import { decryptPin, encryptPin, pinHash, pinKeys } from "../../src/products/calling-card/pins/pin-crypto";
import { toE164 } from "../../src/products/calling-card/flow/dial-plan";

/**
 * χ² critical value for 9 degrees of freedom at p = 0.00001: a fair generator fails one of these 13
 * checks about once in 7 700 runs, while byte % 10 without rejection (0–5 favoured by 4 %) scores
 * about 440 overall.
 */
const CHI2_9DF_P00001 = 39.34;

function chiSquare(counts: number[], total: number): number {
  const expected = total / counts.length;
  return counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
}

describe("generated PINs", () => {
  const pins = generateDistinctPins(100_000);

  it("are 100 000 distinct 12-digit strings (leading zeros kept)", () => {
    expect(pins).toHaveLength(100_000);
    expect(pins.every((p) => /^\d{12}$/.test(p))).toBe(true);
    expect(new Set(pins).size).toBe(100_000);
    expect(pins.some((p) => p.startsWith("0"))).toBe(true);
  });

  it("have uniform digits overall and at every position (chi-square)", () => {
    const overall = new Array<number>(10).fill(0);
    const byPosition = Array.from({ length: PIN_LENGTH }, () => new Array<number>(10).fill(0));
    for (const pin of pins)
      for (let i = 0; i < PIN_LENGTH; i++) {
        const d = pin.charCodeAt(i) - 48;
        overall[d]! += 1;
        byPosition[i]![d]! += 1;
      }
    expect(chiSquare(overall, pins.length * PIN_LENGTH)).toBeLessThan(CHI2_9DF_P00001);
    const worst = Math.max(...byPosition.map((counts) => chiSquare(counts, pins.length)));
    expect(worst).toBeLessThan(CHI2_9DF_P00001);
  });

  it("are not sequential: neighbours share no more digits than chance", () => {
    let same = 0;
    for (let i = 1; i < 10_000; i++)
      for (let j = 0; j < PIN_LENGTH; j++) if (pins[i]![j] === pins[i - 1]![j]) same += 1;
    // Expected 10 % of positions alike; far from the 100 % of a counter's high digits.
    expect(same / (9_999 * PIN_LENGTH)).toBeGreaterThan(0.09);
    expect(same / (9_999 * PIN_LENGTH)).toBeLessThan(0.11);
  });
});

describe("a PIN at rest", () => {
  const hmac = btoa("k".repeat(32));
  const aes = btoa("a".repeat(32));

  it("hashes to the same 32 hex characters every time, and differently under another key", async () => {
    const keys = await pinKeys(hmac, aes);
    const other = await pinKeys(btoa("x".repeat(32)), aes);
    const h = await pinHash(keys, "012345678901");
    expect(h).toMatch(/^[0-9a-f]{32}$/);
    expect(await pinHash(keys, "012345678901")).toBe(h);
    expect(await pinHash(other, "012345678901")).not.toBe(h);
  });

  it("is encrypted with a fresh IV each time and opens only with its key", async () => {
    const keys = await pinKeys(hmac, aes);
    const a = await encryptPin(keys, "012345678901");
    const b = await encryptPin(keys, "012345678901");
    expect(a).not.toBe(b);
    expect(a).not.toContain("012345678901");
    expect(await decryptPin(keys, a)).toBe("012345678901");
    await expect(decryptPin(await pinKeys(hmac, btoa("b".repeat(32))), a)).rejects.toThrow();
  });
});

describe("destinations keyed on the phone", () => {
  const nanp = { countryCode: "1", internationalPrefixes: ["011", "00"], trunkPrefix: "1" };
  const uk = { countryCode: "44", internationalPrefixes: ["00"], trunkPrefix: "0" };

  it("take international, national and trunk forms to E.164", () => {
    expect(toE164("011442079460000", nanp)).toBe("+442079460000");
    expect(toE164("00442079460000", nanp)).toBe("+442079460000");
    expect(toE164("2125551234", nanp)).toBe("+12125551234");
    expect(toE164("12125551234", nanp)).toBe("+12125551234");
    expect(toE164("02079460000", uk)).toBe("+442079460000");
    expect(toE164("0033142278186", uk)).toBe("+33142278186");
  });

  it("refuse what cannot be an E.164 number", () => {
    expect(toE164("911", nanp)).toBeNull();
    expect(toE164("0110", nanp)).toBeNull();
    expect(toE164("011012345678", nanp)).toBeNull();
    expect(toE164("0114420794600001234", nanp)).toBeNull();
  });
});
