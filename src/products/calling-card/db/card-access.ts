/**
 * Finding a card for a call: by the PIN's keyed hash (two-stage) or by a number registered to it
 * (pinless), then the card's rules — blocked, batch not ready, not yet effective, expired, no
 * balance, in use — and activation on first use: the account is opened with the face value as its
 * balance and expiry = min(activation + the batch's days, the batch's expiration), with the
 * credit in its ledger. Activation is one keyed batch, so two first calls at once open one account.
 */
import type { Client, Row } from "@libsql/client";
import { randomBase62 } from "../../../api/ids";
import type { CardEvent } from "../card-vocabulary";
import { bool, num, numOrNull, str, strOrNull } from "./sql";

const DAY_MS = 86_400_000;

const CARD_SELECT = `SELECT p.id AS pin_id, p.blocked AS pin_blocked, p.account_id, b.id AS batch_id,
  b.blocked AS batch_blocked, b.status AS batch_status, b.effective_at, b.expires_at AS batch_expires_at,
  b.plan_id, b.currency, a.balance, a.reserved, a.holds, a.expires_at AS account_expires_at
  FROM cc_pins p JOIN cc_batches b ON b.id = p.batch_id LEFT JOIN cc_accounts a ON a.id = p.account_id`;

export type CardVerdict = Extract<CardEvent, { type: "pin_accepted" | "pin_refused" }>;

export const refused = (
  reason: Extract<CardVerdict, { type: "pin_refused" }>["reason"],
  at: number,
  lockedUntil: number | null = null,
): CardVerdict => ({
  type: "pin_refused",
  reason,
  lockedUntil,
  at,
});

export async function cardByPinHash(client: Client, hash: string): Promise<Row | undefined> {
  const rs = await client.execute({ sql: `${CARD_SELECT} WHERE p.pin_hash = ?`, args: [hash] });
  return rs.rows[0];
}

export async function cardByCallerNumber(client: Client, number: string): Promise<Row | undefined> {
  const rs = await client.execute({
    sql: `${CARD_SELECT} JOIN cc_caller_ids c ON c.pin_id = p.id WHERE c.number = ?`,
    args: [number],
  });
  return rs.rows[0];
}

/** Opens the account of a PIN used for the first time (a no-op if another call just did). */
export async function activate(client: Client, pinId: number, now: number): Promise<void> {
  await client.batch(
    [
      {
        sql: `INSERT INTO cc_accounts (id, pin_id, batch_id, currency, balance, reserved, holds, activated_at, expires_at, next_charge_at, updated_at)
              SELECT ?, p.id, p.batch_id, b.currency, b.face_value, 0, 0, ?, min(? + b.expiry_days * ${DAY_MS}, b.expires_at), ?, ?
              FROM cc_pins p JOIN cc_batches b ON b.id = p.batch_id WHERE p.id = ? AND p.account_id IS NULL
              ON CONFLICT (pin_id) DO NOTHING`,
        args: [`ac_${randomBase62(16)}`, now, now, now, now, pinId],
      },
      {
        sql: "UPDATE cc_pins SET account_id = (SELECT id FROM cc_accounts WHERE pin_id = ?), activated_at = ? WHERE id = ? AND account_id IS NULL",
        args: [pinId, now, pinId],
      },
      {
        sql: `INSERT OR IGNORE INTO cc_ledger (id, account_id, at, amount, tax_amount, reason, balance_after)
              SELECT id || ':activation', id, activated_at, balance, 0, 'activation', balance FROM cc_accounts WHERE pin_id = ?`,
        args: [pinId],
      },
    ],
    "write",
  );
}

/** The card's rules, read from one row (activation already done when it had to be). */
export function judge(row: Row, now: number, maxCalls: number): CardVerdict {
  if (bool(row, "pin_blocked") || bool(row, "batch_blocked")) return refused("blocked", now);
  if (str(row, "batch_status") !== "ready" || strOrNull(row, "plan_id") === null)
    return refused("not_ready", now);
  if (strOrNull(row, "account_id") === null) {
    if (now < num(row, "effective_at")) return refused("not_yet_valid", now);
    return refused("expired", now);
  }
  if (now >= num(row, "account_expires_at")) return refused("expired", now);
  const available = num(row, "balance") - num(row, "reserved");
  if (available <= 0) return refused("depleted", now);
  if (num(row, "holds") >= maxCalls) return refused("in_use", now);
  return {
    type: "pin_accepted",
    accountId: str(row, "account_id"),
    currency: str(row, "currency"),
    available,
    at: now,
  };
}

/** Whether a never-used card may be activated now (the batch is ready, effective, not expired). */
export function mayActivate(row: Row, now: number): boolean {
  return (
    strOrNull(row, "account_id") === null &&
    !bool(row, "pin_blocked") &&
    !bool(row, "batch_blocked") &&
    str(row, "batch_status") === "ready" &&
    strOrNull(row, "plan_id") !== null &&
    now >= num(row, "effective_at") &&
    now < (numOrNull(row, "batch_expires_at") ?? 0)
  );
}
