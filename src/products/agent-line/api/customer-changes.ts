/**
 * The customer's change history (customer_changes): one row per changed field, with who and when,
 * old and new values as text. The customer code is never a value here: its row says only
 * "(set)" or "(cleared)". Pure builders; the writes that change a customer insert these with it.
 */
import type { customerChanges, customers } from "../schema";
import { registerId } from "./register-ids";

export type CustomerRow = typeof customers.$inferSelect;
export type ChangeRow = typeof customerChanges.$inferInsert;

export const CODE_SET = "(set)";
export const CODE_CLEARED = "(cleared)";

/** The fields an admin edits, as the API names them, and the column behind each. */
export const EDITABLE_FIELDS = [
  ["name", "name"],
  ["street", "street"],
  ["postal_code", "postalCode"],
  ["city", "city"],
  ["country", "country"],
  ["email", "email"],
  ["status", "status"],
  ["credit_limit", "creditLimit"],
  ["price_list_id", "priceListId"],
  ["discount_bp", "discountBp"],
  ["price_per_minute", "pricePerMinute"],
  ["line_id", "lineId"],
] as const satisfies readonly (readonly [string, keyof CustomerRow])[];

const asText = (value: string | number | boolean | null): string | null =>
  value === null ? null : String(value);

export interface Change {
  field: string;
  oldValue: string | null;
  newValue: string | null;
}

/** What differs between two states of a customer, field by field (the code only as set/cleared). */
export function changesBetween(before: CustomerRow | null, after: CustomerRow): Change[] {
  const changes: Change[] = [];
  for (const [field, column] of EDITABLE_FIELDS) {
    const old = before ? before[column] : null;
    if (old !== after[column])
      changes.push({ field, oldValue: asText(old), newValue: asText(after[column]) });
  }
  const oldCode = before?.codeHash ?? null;
  if (oldCode !== after.codeHash)
    changes.push({
      field: "customer_code",
      oldValue: oldCode === null ? null : CODE_SET,
      newValue: after.codeHash === null ? CODE_CLEARED : CODE_SET,
    });
  return changes;
}

export function changeRows(customerId: string, changes: Change[], actor: string, at: number): ChangeRow[] {
  return changes.map((change) => ({ id: registerId("chg"), customerId, actor, at, ...change }));
}
