/**
 * zod issues → the API's field errors, in plain words: `{ field: "config.ratePerMinute", message:
 * "must be a whole number, at least 1" }` instead of "Invalid input: expected int, received number".
 * A message a schema sets itself is kept as written; only zod's generic English is reworded (it is
 * recognised by regenerating it). The raw input tells a missing field ("is required") from a wrong one.
 */
import { z, type ZodError } from "zod";

/** One bad field of a request: its path ("config.ratePerMinute") and what is wrong, in words. */
export interface FieldError {
  field: string;
  message: string;
}

type Issue = z.core.$ZodIssue;

const zodEnglish = z.locales.en().localeError;

/** "config.rate_per_minute", "scopes.1"; the root of the body is "body". One error per unknown key. */
export function fieldErrorsOf(error: ZodError, input: unknown, prefix = ""): FieldError[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({
        field: fieldName(prefix, [...issue.path, key]),
        message: "is not a known field",
      }));
    }
    return [{ field: fieldName(prefix, issue.path), message: messageOf(issue, valueAt(input, issue.path)) }];
  });
}

function fieldName(prefix: string, path: readonly PropertyKey[]): string {
  return [prefix, ...path.map(String)].filter(Boolean).join(".") || "body";
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isZodDefault(issue: Issue, input: unknown): boolean {
  const regenerated = zodEnglish({ ...issue, input } as Parameters<typeof zodEnglish>[0]);
  return issue.message === (typeof regenerated === "string" ? regenerated : regenerated?.message);
}

function messageOf(issue: Issue, input: unknown): string {
  if (!isZodDefault(issue, input)) return issue.message;
  switch (issue.code) {
    case "invalid_type":
      return input === undefined ? "is required" : `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}`;
    case "too_small":
      return sizeRule(issue.origin, (issue.inclusive ?? true) ? "at least" : "more than", issue.minimum);
    case "too_big":
      return sizeRule(issue.origin, (issue.inclusive ?? true) ? "at most" : "less than", issue.maximum);
    case "invalid_value":
      return `must be ${oneOf(issue.values)}`;
    case "invalid_union": {
      const options = "options" in issue && Array.isArray(issue.options) ? (issue.options as unknown[]) : [];
      if (options.length === 0) return "does not match any of the allowed forms";
      return input === undefined ? `is required: ${oneOf(options)}` : `must be ${oneOf(options)}`;
    }
    case "invalid_format":
      return issue.format === "url"
        ? "must be a URL like https://example.com/file"
        : `must be a valid ${issue.format}`;
    case "not_multiple_of":
      return `must be a multiple of ${String(issue.divisor)}`;
    case "invalid_key":
      return "has a key that is not allowed";
    case "invalid_element":
      return "has an element that is not allowed";
    default:
      return issue.message;
  }
}

const TYPE_WORDS: Record<string, string> = {
  int: "a whole number",
  number: "a number",
  string: "text",
  boolean: "true or false",
  object: "a JSON object",
  record: "a JSON object",
  array: "a list",
};

function sizeRule(origin: string, bound: string, limit: number | bigint): string {
  const n = Number(limit);
  if (origin === "string") {
    if (bound === "at least" && n === 1) return "must not be empty";
    return `must be ${bound} ${n} character${n === 1 ? "" : "s"} long`;
  }
  if (origin === "array" || origin === "set") {
    if (bound === "at least" && n === 1) return "must not be empty";
    return `must have ${bound} ${n} item${n === 1 ? "" : "s"}`;
  }
  // Whole numbers: "more than 0" reads better as "at least 1".
  if (origin === "int" && bound === "more than") return `must be at least ${n + 1}`;
  return `must be ${bound} ${n}`;
}

function oneOf(values: readonly unknown[]): string {
  const shown = values.map((v) => (typeof v === "string" ? v : JSON.stringify(v)));
  return shown.length === 1 ? `${shown[0]}` : `one of ${shown.join(", ")}`;
}
