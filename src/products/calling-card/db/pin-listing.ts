/**
 * Reading a batch's PINs back for admins: one status rule in SQL (blocked, inactive, active,
 * depleted, expired — the same rules a call meets), keyset pages over (batch, seq), and the PIN
 * itself decrypted only here, for the list and the export.
 */
import type { Client, Row } from "@libsql/client";
import { decryptPin, type PinKeys } from "../pins/pin-crypto";
import { num, numOrNull, str, strOrNull } from "./sql";

export const PIN_STATUSES = ["inactive", "active", "depleted", "expired", "blocked"] as const;
export type PinStatus = (typeof PIN_STATUSES)[number];

const STATUS_SQL = `CASE
  WHEN p.blocked = 1 OR b.blocked = 1 THEN 'blocked'
  WHEN p.account_id IS NULL THEN CASE WHEN :now >= b.expires_at THEN 'expired' ELSE 'inactive' END
  WHEN :now >= a.expires_at THEN 'expired'
  WHEN a.balance - a.reserved <= 0 THEN 'depleted'
  ELSE 'active' END`;

export interface PinView {
  id: number;
  seq: number;
  number: string;
  status: PinStatus;
  accountId: string | null;
  /** The balance once activated, else the face value (minor units). */
  value: number;
  currency: string;
  effectiveAt: number;
  /** The account's expiry once activated, else the batch's expiration. */
  expiresAt: number;
  activatedAt: number | null;
  expiryDays: number;
}

export async function pinPage(
  client: Client,
  keys: PinKeys,
  q: { batchId: string; afterSeq: number; limit: number; status?: PinStatus; now: number },
): Promise<PinView[]> {
  const rs = await client.execute({
    sql: `SELECT * FROM (SELECT p.id, p.seq, p.pin_enc, p.account_id, p.activated_at, ${STATUS_SQL} AS status,
            coalesce(a.balance, b.face_value) AS value, b.currency, b.effective_at,
            coalesce(a.expires_at, b.expires_at) AS expires_at, b.expiry_days
          FROM cc_pins p JOIN cc_batches b ON b.id = p.batch_id LEFT JOIN cc_accounts a ON a.id = p.account_id
          WHERE p.batch_id = :batch AND p.seq > :after ORDER BY p.seq) WHERE (:status IS NULL OR status = :status) LIMIT :limit`,
    args: { batch: q.batchId, after: q.afterSeq, limit: q.limit, status: q.status ?? null, now: q.now },
  });
  return Promise.all(rs.rows.map((r) => view(keys, r)));
}

async function view(keys: PinKeys, r: Row): Promise<PinView> {
  return {
    id: num(r, "id"),
    seq: num(r, "seq"),
    number: await decryptPin(keys, str(r, "pin_enc")),
    status: str(r, "status") as PinStatus,
    accountId: strOrNull(r, "account_id"),
    value: num(r, "value"),
    currency: str(r, "currency"),
    effectiveAt: num(r, "effective_at"),
    expiresAt: num(r, "expires_at"),
    activatedAt: numOrNull(r, "activated_at"),
    expiryDays: num(r, "expiry_days"),
  };
}
