/**
 * Reads an uploaded CSV (RFC 4180 fields: quoted or not, "" for a quote; LF or CRLF lines) into
 * rows that keep their line numbers, so every error can name its line. Blank lines are skipped.
 * Quoted fields do not span lines here: neither PIN files nor rate decks need that.
 */
export interface CsvRow {
  line: number;
  cells: string[];
}

function cellsOf(text: string): string[] | null {
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === '"') {
      let value = "";
      i += 1;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) return null;
        value += text.slice(i, q);
        if (text[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      cells.push(value.trim());
      if (i >= text.length) return cells;
      if (text[i] !== ",") return null;
      i += 1;
    } else {
      const comma = text.indexOf(",", i);
      cells.push(text.slice(i, comma < 0 ? undefined : comma).trim());
      if (comma < 0) return cells;
      i = comma + 1;
    }
  }
}

export function readCsv(text: string): { rows: CsvRow[]; malformed: number[] } {
  const rows: CsvRow[] = [];
  const malformed: number[] = [];
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  lines.forEach((raw, index) => {
    if (raw.trim() === "") return;
    const cells = cellsOf(raw);
    if (cells) rows.push({ line: index + 1, cells });
    else malformed.push(index + 1);
  });
  return { rows, malformed };
}

/** "0.0150" → 15 000 micro-units, exactly (string arithmetic); null when it is not such a decimal. */
export function decimalToMicros(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,6}))?$/.exec(text.trim());
  if (!m) return null;
  return Number(m[1]) * 1_000_000 + Number((m[2] ?? "").padEnd(6, "0"));
}

/** 15 000 micro-units → "0.015000": the exact decimal, six places. */
export const microsToDecimal = (micros: number): string =>
  `${micros < 0 ? "-" : ""}${Math.floor(Math.abs(micros) / 1_000_000)}.${String(Math.abs(micros) % 1_000_000).padStart(6, "0")}`;
