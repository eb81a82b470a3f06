/**
 * Card number rules the IVR checks before any payment call: Luhn, brand from the number's prefix
 * (which fixes the CVC length), and expiry against the call's clock. Pure; returns verdicts only,
 * never echoes the digits it was given.
 */
export type CardBrand = "visa" | "mastercard" | "amex" | "discover" | "diners" | "jcb" | "unknown";

export function luhnValid(number: string): boolean {
  if (!/^\d+$/.test(number)) return false;
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

const inRange = (value: number, low: number, high: number): boolean => value >= low && value <= high;

export function cardBrand(number: string): CardBrand {
  const p2 = Number(number.slice(0, 2));
  const p3 = Number(number.slice(0, 3));
  const p4 = Number(number.slice(0, 4));
  if (number.startsWith("4")) return "visa";
  if (p2 === 34 || p2 === 37) return "amex";
  if (inRange(p2, 51, 55) || inRange(p4, 2221, 2720)) return "mastercard";
  if (p4 === 6011 || p2 === 65 || inRange(p3, 644, 649)) return "discover";
  if (inRange(p4, 3528, 3589)) return "jcb";
  if (p2 === 36 || p2 === 38 || inRange(p3, 300, 305)) return "diners";
  return "unknown";
}

/** American Express prints a 4-digit code on the front; every other brand uses 3. */
export const cvcLength = (brand: CardBrand | null): number => (brand === "amex" ? 4 : 3);

export type ExpiryVerdict = "ok" | "malformed" | "expired";

/** MMYY; a card is good through the last day of its month (UTC, the processor's view). */
export function checkExpiry(mmyy: string, now: number): ExpiryVerdict {
  if (!/^\d{4}$/.test(mmyy)) return "malformed";
  const month = Number(mmyy.slice(0, 2));
  const year = 2000 + Number(mmyy.slice(2));
  if (month < 1 || month > 12) return "malformed";
  const today = new Date(now);
  const current = today.getUTCFullYear() * 12 + today.getUTCMonth();
  return year * 12 + (month - 1) < current ? "expired" : "ok";
}
