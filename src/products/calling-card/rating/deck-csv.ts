/**
 * A rate deck file, checked line by line: prefix, destination, sell_rate, buy_rate (decimal
 * amounts per minute in the deck's currency, up to 6 decimals), first_block and increment
 * (seconds: 60/60, 60/1, 30/6, 6/6…), connect_fee (decimal, optional), valid_from and valid_to
 * (dates, optional). A header row is expected. Every bad line is named; a prefix given twice for
 * the same validity is refused too.
 */
import type { FieldError } from "../../../api/problem";
import { decimalToMicros, readCsv } from "../routes/csv-rows";
import type { RateRow } from "./rate-table";

export const DECK_COLUMNS = [
  "prefix",
  "destination",
  "sell_rate",
  "buy_rate",
  "first_block",
  "increment",
  "connect_fee",
  "valid_from",
  "valid_to",
] as const;

export interface ParsedDeck {
  rows: (RateRow & { line: number })[];
  errors: FieldError[];
}

const date = (v: string): number | null | undefined => {
  if (v === "") return null;
  const ms = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T00:00:00Z` : v);
  return Number.isNaN(ms) ? undefined : ms;
};
const seconds = (v: string): number | null =>
  /^\d{1,4}$/.test(v) && Number(v) >= 1 && Number(v) <= 3600 ? Number(v) : null;

export function parseDeckCsv(text: string): ParsedDeck {
  const { rows, malformed } = readCsv(text);
  const errors: FieldError[] = malformed.map((line) => ({
    field: `line ${line}`,
    message: "is not a CSV row (check its quotes)",
  }));
  const [header, ...body] = rows;
  const names = header?.cells.map((c) => c.toLowerCase()) ?? [];
  const missing = DECK_COLUMNS.slice(0, 6).filter((c) => !names.includes(c));
  if (!header || missing.length)
    return {
      rows: [],
      errors: [{ field: "line 1", message: `must be a header naming ${DECK_COLUMNS.join(", ")}` }],
    };
  const at = (cells: string[], col: (typeof DECK_COLUMNS)[number]) => cells[names.indexOf(col)] ?? "";
  const out: ParsedDeck["rows"] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of body) {
    const problems: string[] = [];
    const prefix = at(cells, "prefix").replace(/^\+/, "");
    if (!/^\d{1,15}$/.test(prefix)) problems.push("prefix must be 1 to 15 digits");
    const destination = at(cells, "destination");
    // eslint-disable-next-line no-control-regex -- control characters are what is refused here
    if (!destination || destination.length > 100 || /[\u0000-\u001f]/.test(destination))
      problems.push("destination must be 1 to 100 characters, no control characters");
    const sell = decimalToMicros(at(cells, "sell_rate"));
    if (sell === null) problems.push("sell_rate must be a decimal amount like 0.0150");
    const buy = decimalToMicros(at(cells, "buy_rate"));
    if (buy === null) problems.push("buy_rate must be a decimal amount like 0.0100");
    const first = seconds(at(cells, "first_block"));
    const step = seconds(at(cells, "increment"));
    if (first === null) problems.push("first_block must be whole seconds from 1 to 3600");
    if (step === null) problems.push("increment must be whole seconds from 1 to 3600");
    const feeText = at(cells, "connect_fee");
    const fee = feeText === "" ? 0 : decimalToMicros(feeText);
    if (fee === null) problems.push("connect_fee must be a decimal amount like 0.05, or empty");
    const from = date(at(cells, "valid_from"));
    const to = date(at(cells, "valid_to"));
    if (from === undefined) problems.push("valid_from must be a date like 2026-12-01, or empty");
    if (to === undefined) problems.push("valid_to must be a date like 2027-01-01, or empty");
    if (from && to && to <= from) problems.push("valid_to must be after valid_from");
    const key = `${prefix}@${from ?? ""}`;
    if (problems.length === 0 && seen.has(key))
      problems.push(`repeats prefix ${prefix} of line ${seen.get(key)}`);
    if (problems.length) {
      errors.push({ field: `line ${line}`, message: problems.join("; ") });
      continue;
    }
    seen.set(key, line);
    out.push({
      line,
      prefix,
      destination,
      sellRate: sell!,
      buyRate: buy!,
      firstBlockSec: first!,
      stepSec: step!,
      connectFee: fee!,
      validFrom: from ?? null,
      validTo: to ?? null,
    });
  }
  if (!errors.length && out.length === 0) errors.push({ field: "file", message: "has no rates" });
  return { rows: out, errors };
}
