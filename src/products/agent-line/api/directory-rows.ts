/**
 * The address directory's CSV file, checked row by row before anything is written: a header naming
 * the columns (number, name, street, postal_code, city, secret; any order, number and name required)
 * and rows whose every bad field is reported as "line 7: number" with the file's own line number.
 * Pure: records in, entries or errors out. The import writes all entries or none.
 */
import type { FieldError } from "../../../api/field-messages";
import { toE164 } from "../../../phone/e164";
import type { CsvRecord } from "./parse-csv";
import { phoneMessage } from "./phone-input";

export const DIRECTORY_COLUMNS = ["number", "name", "street", "postal_code", "city", "secret"] as const;
type Column = (typeof DIRECTORY_COLUMNS)[number];
const REQUIRED: readonly Column[] = ["number", "name"];
const MAX_TEXT = 200;

export interface DirectoryRow {
  number: string;
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  secret: boolean;
}

export type DirectoryRowsResult = { ok: true; rows: DirectoryRow[] } | { ok: false; errors: FieldError[] };

const SECRET_WORDS: Record<string, boolean> = {
  true: true,
  yes: true,
  "1": true,
  false: false,
  no: false,
  "0": false,
  "": false,
};

export function directoryRowsOf(records: CsvRecord[], country: string): DirectoryRowsResult {
  const [header, ...data] = records;
  if (!header)
    return {
      ok: false,
      errors: [
        {
          field: "body",
          message: `is empty: send a header row (${DIRECTORY_COLUMNS.join(",")}) and one row per number`,
        },
      ],
    };
  const columns = columnsOf(header);
  if (!columns.ok) return columns;
  const errors: FieldError[] = [];
  const rows: DirectoryRow[] = [];
  const firstLineOf = new Map<string, number>();
  for (const record of data) {
    const at = (column?: string) => (column ? `line ${record.line}: ${column}` : `line ${record.line}`);
    if (record.error) {
      errors.push({ field: at(), message: record.error });
      continue;
    }
    if (record.fields.length !== columns.names.length) {
      errors.push({
        field: at(),
        message: `has ${record.fields.length} fields; the header has ${columns.names.length}`,
      });
      continue;
    }
    const cell = (column: Column) => {
      const i = columns.names.indexOf(column);
      return i < 0 ? "" : record.fields[i]!.trim();
    };
    const rowErrors: FieldError[] = [];
    const number = toE164(cell("number"), country);
    if (cell("number") === "") rowErrors.push({ field: at("number"), message: "is required" });
    else if (number === null) rowErrors.push({ field: at("number"), message: phoneMessage(country) });
    else {
      const seen = firstLineOf.get(number);
      if (seen !== undefined)
        rowErrors.push({ field: at("number"), message: `repeats ${number} from line ${seen}` });
      else firstLineOf.set(number, record.line);
    }
    if (cell("name") === "") rowErrors.push({ field: at("name"), message: "is required" });
    for (const column of ["name", "street", "postal_code", "city"] as const)
      if (cell(column).length > MAX_TEXT)
        rowErrors.push({ field: at(column), message: `must be at most ${MAX_TEXT} characters long` });
    const secret = SECRET_WORDS[cell("secret").toLowerCase()];
    if (secret === undefined)
      rowErrors.push({ field: at("secret"), message: "must be true, false, yes, no, 1, 0 or empty" });
    if (rowErrors.length > 0 || number === null || secret === undefined) {
      errors.push(...rowErrors);
      continue;
    }
    rows.push({
      number,
      name: cell("name"),
      street: cell("street") || null,
      postalCode: cell("postal_code") || null,
      city: cell("city") || null,
      secret,
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}

function columnsOf(header: CsvRecord): { ok: true; names: string[] } | { ok: false; errors: FieldError[] } {
  const at = (what: string) => `line ${header.line}: ${what}`;
  if (header.error) return { ok: false, errors: [{ field: at("header"), message: header.error }] };
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const errors: FieldError[] = [];
  names.forEach((name, i) => {
    if (!(DIRECTORY_COLUMNS as readonly string[]).includes(name))
      errors.push({
        field: at(name || `column ${i + 1}`),
        message: `is not a known column (${DIRECTORY_COLUMNS.join(", ")})`,
      });
    else if (names.indexOf(name) !== i) errors.push({ field: at(name), message: "is a repeated column" });
  });
  for (const column of REQUIRED)
    if (!names.includes(column))
      errors.push({ field: at(column), message: "column is missing from the header" });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, names };
}
