/**
 * Swedish bank giro payment references (OCR): the base digits, a length digit, and a Luhn (mod 10)
 * check digit over all of them, so a payment can be matched to its invoice and a mistyped
 * reference is caught by the bank. Pure.
 */

/** The Luhn check digit for `digits` (the digit that makes digits + it pass mod 10). */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Doubling starts from the rightmost digit, since the check digit will follow it.
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** "1234" → "123463": base, a length digit (total length mod 10), then the check digit. */
export function ocrReference(base: string): string {
  if (!/^\d{1,22}$/.test(base)) throw new RangeError("an OCR base is 1–22 digits");
  const length = (base.length + 2) % 10;
  const body = `${base}${length}`;
  return `${body}${luhnCheckDigit(body)}`;
}

/** True for a reference whose length digit and check digit are right. */
export function isValidOcr(reference: string): boolean {
  if (!/^\d{3,25}$/.test(reference)) return false;
  const body = reference.slice(0, -1);
  const length = Number(body.slice(-1));
  return length === reference.length % 10 && luhnCheckDigit(body) === Number(reference.slice(-1));
}

/**
 * "A" 17 → "6500001703": the series' letters as their character codes (A=65…Z=90, so never a
 * leading zero a bank might drop), the number in six digits, then the length and check digits.
 */
export function ocrFor(series: string, number: number): string {
  const prefix = [...series].map((ch) => String(ch.charCodeAt(0))).join("");
  return ocrReference(`${prefix}${String(number).padStart(6, "0")}`);
}
