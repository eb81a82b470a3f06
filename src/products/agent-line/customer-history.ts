/**
 * History rows for changes the system makes to a customer outside the register's own edits — an
 * invoice at the limit blocking them, a payment unblocking them and raising their limit, a
 * customer created from the directory — built like the register's (api/customer-changes.ts) and
 * written in the same transaction as the change.
 */
import { changeRows, type ChangeRow } from "./api/customer-changes";

export interface FieldChange {
  field: string;
  from: string | number | null;
  to: string | number | null;
}

const asText = (v: string | number | null): string | null => (v === null ? null : String(v));

/** Only the fields that really changed. */
export function historyRows(
  customerId: string,
  actor: string,
  at: number,
  changes: readonly FieldChange[],
): ChangeRow[] {
  const changed = changes
    .filter((c) => asText(c.from) !== asText(c.to))
    .map((c) => ({ field: c.field, oldValue: asText(c.from), newValue: asText(c.to) }));
  return changeRows(customerId, changed, actor, at);
}
