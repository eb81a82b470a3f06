/**
 * Secure-payment records in Turso: written once per request (a retried write is a no-op, since
 * the id is the transaction id), read back one at a time, and listed newest first with the
 * filters the API and the CSV export share (agent, line, status, finished between two dates).
 */
import { and, desc, eq, gte, lt, type SQL } from "drizzle-orm";
import { endOf, startOf } from "../api/schemas";
import { afterKey, type SortKey } from "../api/paging";
import { securePaymentsOfMerchant } from "../api/merchant-scope";
import type { Db } from "../db/client";
import { agents } from "../db/schema";
import { securePayments, type SecurePaymentRow } from "./schema";
import type { SecurePaymentRecord } from "./vocabulary";

export interface PaymentFilters {
  agent_id?: string | undefined;
  line_id?: string | undefined;
  call_id?: string | undefined;
  status?: "succeeded" | "failed" | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Set from a merchant's token (never from the query): that merchant's records only. */
  merchant_id?: string | undefined;
}

/** The agent's name as the roster has it now (null for an admin's request on an agentless call). */
export async function agentNameOf(db: Db, agentId: string | null): Promise<string | null> {
  if (!agentId) return null;
  const [row] = await db.select({ name: agents.name }).from(agents).where(eq(agents.id, agentId)).limit(1);
  return row?.name ?? null;
}

/** Writes the record once; a second write of the same transaction id changes nothing. */
export async function insertRecord(db: Db, r: SecurePaymentRecord, agentName: string | null): Promise<void> {
  await db
    .insert(securePayments)
    .values({ ...r, agentName })
    .onConflictDoNothing({ target: securePayments.id });
}

export async function recordById(db: Db, id: string): Promise<SecurePaymentRow | null> {
  const [row] = await db.select().from(securePayments).where(eq(securePayments.id, id)).limit(1);
  return row ?? null;
}

function filterSql(f: PaymentFilters): (SQL | undefined)[] {
  return [
    f.agent_id === undefined ? undefined : eq(securePayments.agentId, f.agent_id),
    f.line_id === undefined ? undefined : eq(securePayments.lineId, f.line_id),
    f.call_id === undefined ? undefined : eq(securePayments.callId, f.call_id),
    f.status === undefined ? undefined : eq(securePayments.status, f.status),
    f.from === undefined ? undefined : gte(securePayments.finishedAt, startOf(f.from)),
    f.to === undefined ? undefined : lt(securePayments.finishedAt, endOf(f.to)),
    f.merchant_id === undefined ? undefined : securePaymentsOfMerchant(f.merchant_id),
  ];
}

export const sortKeyOf = (row: SecurePaymentRow): SortKey => [row.finishedAt, row.id];

/** Up to `limit` records after `after` (a sort key), newest first. */
export function listRecords(
  db: Db,
  filters: PaymentFilters,
  after: SortKey | undefined,
  limit: number,
): Promise<SecurePaymentRow[]> {
  const past = after ? afterKey(after, securePayments.finishedAt, securePayments.id, "desc") : undefined;
  return db
    .select()
    .from(securePayments)
    .where(and(...filterSql(filters), past))
    .orderBy(desc(securePayments.finishedAt), desc(securePayments.id))
    .limit(limit);
}
