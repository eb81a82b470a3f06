/**
 * Phone numbers as people type them, at the register's edge: E.164 or a national form read for a
 * country ("08-123 45 67" in SE → "+4681234567", the one rule in src/phone/e164.ts). Schemas take
 * the text; a superRefine names the field when it is no number, and handlers store only E.164.
 */
import { z } from "@hono/zod-openapi";
import { COUNTRIES, toE164 } from "../../../phone/e164";
import { validationProblem } from "../../../api/problem";

export const PhoneText = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .openapi({ example: "08-123 45 67", description: "E.164 (+4681234567) or the national form" });

const DIALLING_COUNTRIES = Object.keys(COUNTRIES) as [string, ...string[]];

/** The country national numbers are read for (the address's country for a customer's numbers). */
export const DiallingCountry = z
  .enum(DIALLING_COUNTRIES)
  .default("SE")
  .openapi({ description: "National numbers are read as numbers of this country", example: "SE" });

export function phoneMessage(country: string): string {
  return country in COUNTRIES
    ? `must be a phone number: E.164 (+4681234567) or national for ${country} (08-123 45 67 in SE)`
    : `must be a phone number in E.164 form (+4681234567); national numbers are read only for ${DIALLING_COUNTRIES.join(", ")}`;
}

/** For a superRefine: adds an issue at `path` when `value` is text that is not a phone number. */
export function checkPhone(ctx: z.RefinementCtx, path: PropertyKey[], value: unknown, country: string): void {
  if (typeof value === "string" && value.trim() !== "" && toE164(value, country) === null)
    ctx.addIssue({ code: "custom", path, message: phoneMessage(country) });
}

/**
 * superRefine params: run the check even when other fields failed (zod skips it after a wrong
 * type or enum otherwise), so one 422 names every bad field; never on a body that is no object.
 */
export const EVEN_WITH_OTHER_ERRORS = {
  when: (payload: { value: unknown }) => typeof payload.value === "object" && payload.value !== null,
};

/** E.164 of a number a schema has already checked; a 422 naming `field` if it was not checked. */
export function normalisedPhone(value: string, country: string, field: string): string {
  const number = toE164(value, country);
  if (number === null) throw validationProblem([{ field, message: phoneMessage(country) }]);
  return number;
}
