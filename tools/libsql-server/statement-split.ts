/**
 * Finds where the first SQL statement of a text ends, so `execute` can refuse a text carrying
 * more than one (libsql-js prepares the first and silently drops the rest; sqld rejects it).
 * A lexer, not a parser: it skips strings, quoted identifiers and comments, and inside
 * CREATE TRIGGER it counts BEGIN/CASE against END so the body's semicolons do not end it.
 */

/** Index just past the quoted run starting at `start` (a doubled closing char is an escape). */
function skipQuoted(sql: string, start: number, close: string): number {
  let i = start + 1;
  while (i < sql.length) {
    if (sql[i] === close) {
      if (close !== "]" && sql[i + 1] === close) i += 2;
      else return i + 1;
    } else i++;
  }
  return i;
}

/** Index just past a comment starting at `i`, or `i` when there is none there. */
function skipComment(sql: string, i: number): number {
  if (sql.startsWith("--", i)) {
    const newline = sql.indexOf("\n", i);
    return newline === -1 ? sql.length : newline + 1;
  }
  if (sql.startsWith("/*", i)) {
    const close = sql.indexOf("*/", i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}

const QUOTE_CLOSE: Record<string, string> = { "'": "'", '"': '"', "`": "`", "[": "]" };
const WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/** Index just past the first statement's terminating semicolon, or the text's length. */
export function firstStatementEnd(sql: string): number {
  const words: string[] = [];
  let depth = 0;
  let i = 0;
  while (i < sql.length) {
    const afterComment = skipComment(sql, i);
    if (afterComment !== i) {
      i = afterComment;
      continue;
    }
    const ch = sql[i] ?? "";
    const close = QUOTE_CLOSE[ch];
    if (close) {
      i = skipQuoted(sql, i, close);
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(sql)?.[0];
    if (word) {
      words.push(word.toUpperCase());
      if (isTrigger(words)) depth += blockDelta(word.toUpperCase());
      i += word.length;
      continue;
    }
    if (ch === ";" && depth <= 0) return i + 1;
    i++;
  }
  return sql.length;
}

function isTrigger(words: readonly string[]): boolean {
  if (words[0] !== "CREATE") return false;
  const next = words[1] === "TEMP" || words[1] === "TEMPORARY" ? words[2] : words[1];
  return next === "TRIGGER";
}

const blockDelta = (word: string): number =>
  word === "BEGIN" || word === "CASE" ? 1 : word === "END" ? -1 : 0;

/** True when, after the first statement, anything but whitespace, semicolons or comments follows. */
export function hasTrailingStatement(sql: string): boolean {
  let i = firstStatementEnd(sql);
  while (i < sql.length) {
    const afterComment = skipComment(sql, i);
    if (afterComment !== i) i = afterComment;
    else if (/[\s;]/.test(sql[i] ?? "")) i++;
    else return true;
  }
  return false;
}
