/**
 * CSV for exports (RFC 4180: CRLF line ends, fields quoted when they hold a comma, quote, CR or
 * LF, quotes doubled). Decimal amounts come from src/billing/currency.ts, like spoken prices.
 * Cells a spreadsheet would run as a formula are neutralised: caller numbers come from the
 * caller (a SIP user part can be any text), and an export must never execute it.
 */
export type CsvValue = string | number | null;

// Excel, LibreOffice and Sheets evaluate a cell starting with one of these (OWASP "CSV injection").
const FORMULA_START = /^[=+\-@\t\r]/;
// Left readable: an E.164 number (+15551234567) or a plain decimal (-12.34) is data, not a formula.
const PLAIN_VALUE = /^(?:\+[1-9]\d{6,14}|[+-]?\d+(?:\.\d+)?)$/;

/** A leading apostrophe makes spreadsheets show the text as-is instead of evaluating it. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_VALUE.test(text) ? `'${text}` : text;
}

export function csvField(value: CsvValue): string {
  if (value === null) return "";
  const text = typeof value === "number" ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export const csvLine = (values: readonly CsvValue[]): string => `${values.map(csvField).join(",")}\r\n`;
