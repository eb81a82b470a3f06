/**
 * The customer change history ("who changed what, when"): one customer_changes row per changed
 * field. Everything that changes a customer — the API, a payment, an invoice at the limit —
 * writes here in the same batch as the change itself.
 */
import type { customerChanges } from "./schema";

export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

const asText = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === "string" ? v : JSON.stringify(v);

export function historyRows(
  customerId: string,
  actor: string,
  at: number,
  changes: readonly FieldChange[],
): (typeof customerChanges.$inferInsert)[] {
  return changes
    .filter((c) => asText(c.from) !== asText(c.to))
    .map((c) => ({
      id: `chg_${crypto.randomUUID()}`,
      customerId,
      field: c.field,
      oldValue: asText(c.from),
      newValue: asText(c.to),
      actor,
      at,
    }));
}
