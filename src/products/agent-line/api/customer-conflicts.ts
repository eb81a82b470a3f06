/**
 * 409s of the customer register: a number belongs to one customer only, a customer code to one
 * customer only. Checked before writing (to name the number and its owner) and recognised again
 * from the unique constraints, which decide when two writes race.
 */
import { inArray } from "drizzle-orm";
import { ProblemError } from "../../../api/problem";
import { isUniqueViolation } from "../../../api/sql-errors";
import type { Db } from "../../../db/client";
import { customerNumbers } from "../schema";

const conflict = (detail: string, errors: { field: string; message: string }[], type: string) =>
  new ProblemError(409, "Conflict", detail, `urn:meterline:problem:${type}`, { errors });

export const numberTaken = (fields: { field: string; number: string; owner: string }[]) =>
  conflict(
    fields.length === 1
      ? `${fields[0]!.number} belongs to another customer.`
      : "Some numbers belong to other customers.",
    fields.map((f) => ({
      field: f.field,
      message: `${f.number} already belongs to customer ${f.owner}`,
    })),
    "number-taken",
  );

export const codeTaken = () =>
  conflict(
    "Another customer has this customer code; choose another.",
    [{ field: "customer_code", message: "is another customer's code" }],
    "customer-code-taken",
  );

/** 409 when any of `numbers` (E.164, named by `fieldOf`) belongs to a customer other than `owner`. */
export async function refuseTakenNumbers(
  db: Db,
  numbers: string[],
  owner: string | null,
  fieldOf: (index: number) => string,
): Promise<void> {
  if (numbers.length === 0) return;
  const rows = await db
    .select({ number: customerNumbers.number, customerId: customerNumbers.customerId })
    .from(customerNumbers)
    .where(inArray(customerNumbers.number, numbers));
  const taken = rows
    .filter((r) => r.customerId !== owner)
    .map((r) => ({ field: fieldOf(numbers.indexOf(r.number)), number: r.number, owner: r.customerId }));
  if (taken.length > 0) throw numberTaken(taken);
}

/** The 409 a failed write means when a unique constraint lost a race; else the error itself. */
export function conflictOfWrite(err: unknown, numbersField: string): unknown {
  if (isUniqueViolation(err, "customer_numbers.number"))
    return conflict(
      "A number belongs to another customer.",
      [{ field: numbersField, message: "belongs to another customer" }],
      "number-taken",
    );
  if (isUniqueViolation(err, "customers.code_hash")) return codeTaken();
  return err;
}
