/**
 * Reads CSV text (RFC 4180) into records, each with the 1-based line of the file it starts on, so an
 * import can name the line of every bad row. Accepts what real files carry: CRLF or LF line ends, a
 * UTF-8 byte order mark, quoted fields with doubled quotes and line breaks inside, blank lines
 * (skipped). A malformed record is kept with an error and reading goes on at the next line; an
 * unterminated quote swallows the rest of the file, so it is the last record. Pure; no I/O.
 */

export interface CsvRecord {
  /** The line of the file the record starts on (1-based; a quoted line break spans lines). */
  line: number;
  fields: string[];
  /** Why the record could not be read as CSV; its fields are then incomplete. */
  error?: string;
}

const QUOTE_INSIDE = "has a quote inside an unquoted field: quote the whole field and double the quote";
const AFTER_QUOTE = "has text after a closing quote: a quoted field must end at a comma or the line end";
const UNTERMINATED = "has a quoted field that is never closed";

export function parseCsv(input: string): CsvRecord[] {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let line = 1;
  let pos = 0;
  while (pos < text.length) {
    const start = line;
    const fields: string[] = [];
    let error: string | undefined;
    let quotedAny = false;
    // One record: fields until an unquoted line break or the end of the text.
    for (;;) {
      let value = "";
      if (text[pos] === '"') {
        quotedAny = true;
        pos++;
        let closed = false;
        while (pos < text.length) {
          const ch = text[pos]!;
          if (ch === '"') {
            if (text[pos + 1] === '"') {
              value += '"';
              pos += 2;
              continue;
            }
            pos++;
            closed = true;
            break;
          }
          if (ch === "\n" || (ch === "\r" && text[pos + 1] !== "\n")) line++;
          value += ch;
          pos++;
        }
        if (!closed) {
          fields.push(value);
          records.push({ line: start, fields, error: UNTERMINATED });
          return records;
        }
        if (pos < text.length && !isFieldEnd(text, pos)) {
          error ??= AFTER_QUOTE;
          while (pos < text.length && !isFieldEnd(text, pos)) pos++;
        }
      } else {
        while (pos < text.length && !isFieldEnd(text, pos)) {
          if (text[pos] === '"') error ??= QUOTE_INSIDE;
          value += text[pos];
          pos++;
        }
      }
      fields.push(value);
      if (text[pos] === ",") {
        pos++;
        continue;
      }
      pos += lineBreakLength(text, pos);
      line++;
      break;
    }
    const blank = !quotedAny && fields.length === 1 && fields[0]!.trim() === "";
    if (!blank) records.push(error ? { line: start, fields, error } : { line: start, fields });
  }
  return records;
}

function isFieldEnd(text: string, pos: number): boolean {
  const ch = text[pos];
  return ch === "," || ch === "\n" || ch === "\r";
}

/** CRLF, LF or a lone CR (old Mac files) end a record; at the end of the text, nothing does. */
function lineBreakLength(text: string, pos: number): number {
  if (text[pos] === "\r" && text[pos + 1] === "\n") return 2;
  return pos < text.length ? 1 : 0;
}
