/**
 * Manual credits and debits of a card account, with the admin's reason in the ledger. A debit
 * never takes more than the account has available (balance − reserved), checked by the UPDATE
 * itself; each adjustment is keyed by the request's id, so a retried request changes nothing.
 */
import type { Client } from "@libsql/client";
import { num } from "./sql";

export type Adjustment = {
  key: string;
  accountId: string;
  kind: "credit" | "debit";
  amount: number;
  reason: string;
};

/** The ledger entry's balance after, or null when a debit found too little available. */
export async function adjust(client: Client, a: Adjustment, now: number): Promise<number | null> {
  const signed = a.kind === "credit" ? a.amount : -a.amount;
  const results = await client.batch(
    [
      {
        sql: `UPDATE cc_accounts SET balance = balance + ?, updated_at = ?
              WHERE id = ? AND (? > 0 OR balance - reserved >= ?) AND NOT EXISTS (SELECT 1 FROM cc_ledger WHERE id = ?)`,
        args: [signed, now, a.accountId, signed, a.amount, a.key],
      },
      {
        sql: `INSERT INTO cc_ledger (id, account_id, at, amount, tax_amount, reason, note, balance_after)
              SELECT ?, id, ?, ?, 0, ?, ?, balance FROM cc_accounts WHERE id = ? AND changes() = 1`,
        args: [
          a.key,
          now,
          signed,
          a.kind === "credit" ? "manual_credit" : "manual_debit",
          a.reason,
          a.accountId,
        ],
      },
      { sql: "SELECT balance_after FROM cc_ledger WHERE id = ?", args: [a.key] },
    ],
    "write",
  );
  const row = results[2]?.rows[0];
  return row ? num(row, "balance_after") : null;
}
