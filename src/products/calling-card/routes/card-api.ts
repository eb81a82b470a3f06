/**
 * What the calling-card routes share: ids, money and date fields as the API shows them, a problem
 * naming CSV lines, and the admin-only check for anything that shows a PIN.
 */
import { z } from "@hono/zod-openapi";
import { randomBase62 } from "../../../api/ids";
import { VALIDATION_PROBLEM_TYPE, ProblemError, type FieldError } from "../../../api/problem";

export type CardIdPrefix = "pb" | "pl" | "pk" | "ch" | "rd";
export const newCardId = (prefix: CardIdPrefix): string => `${prefix}_${randomBase62(16)}`;

export const Currency = z
  .string()
  .regex(/^[a-z]{3}$/, "must be an ISO 4217 code in lowercase, e.g. usd")
  .openapi({ example: "usd" });
export const Minor = z
  .int()
  .min(0)
  .max(1_000_000_000)
  .openapi({ description: "Minor units (cents)", example: 500 });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A date (midnight UTC) or a date-time. */
export const DateInput = z
  .string()
  .refine((v) => (DATE.test(v) || /^\d{4}-\d{2}-\d{2}T/.test(v)) && !Number.isNaN(Date.parse(v)), {
    message: "must be an ISO-8601 date (2026-12-01) or date-time",
  })
  .openapi({ example: "2026-12-01" });
export const toMs = (v: string): number => Date.parse(DATE.test(v) ? `${v}T00:00:00Z` : v);

/** A 422 naming every bad CSV line ("line 7") and what is wrong with it; at most 100 are listed. */
export function csvProblem(errors: FieldError[]): ProblemError {
  return new ProblemError(
    422,
    "Invalid CSV",
    `${errors.length} line${errors.length === 1 ? "" : "s"} could not be accepted; nothing was changed.`,
    VALIDATION_PROBLEM_TYPE,
    { errors: errors.slice(0, 100), error_count: errors.length },
  );
}

export const conflict = (detail: string) => new ProblemError(409, "Conflict", detail);

/** Reads a text/csv body (the route declares it; zod-openapi validates JSON only). */
export async function csvBody(req: {
  header(name: string): string | undefined;
  text(): Promise<string>;
}): Promise<string> {
  const type = req.header("content-type") ?? "";
  if (!/^text\/csv\b/i.test(type))
    throw new ProblemError(
      415,
      "Unsupported Media Type",
      "Send the file as CSV, with the header 'Content-Type: text/csv'.",
    );
  return req.text();
}
