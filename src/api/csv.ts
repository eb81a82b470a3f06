/**
 * CSV for exports (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote, CR or
 * LF, quotes doubled) and the decimal rendering of minor-unit amounts for spreadsheet users.
 */
export type CsvValue = string | number | null;

export function csvField(value: CsvValue): string {
  if (value === null) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvField).join(",")}\r\n`;

// ISO 4217 minor-unit exponents that differ from 2 (the currencies Stripe treats specially).
const ZERO_DECIMAL = new Set(
  "BIF CLP DJF GNF ISK JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF".split(" "),
);
const THREE_DECIMAL = new Set("BHD IQD JOD KWD LYD OMR TND".split(" "));

export function minorUnitExponent(currency: string): number {
  const code = currency.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return 0;
  return THREE_DECIMAL.has(code) ? 3 : 2;
}

/** 12345 SEK → "123.45"; exact (string arithmetic, no floating point). */
export function minorToDecimal(amount: number, currency: string): string {
  const exponent = minorUnitExponent(currency);
  const digits = Math.abs(amount)
    .toString()
    .padStart(exponent + 1, "0");
  const sign = amount < 0 ? "-" : "";
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}
