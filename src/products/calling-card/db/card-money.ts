/**
 * A card's money moves through reservations. Reserve: one conditional UPDATE takes up to the asked
 * amount of balance − reserved, only if at least the minimum is there and fewer than the limit of
 * calls hold a reservation — so concurrent calls on one card can never overspend. Settle: the
 * call's debit (and its connection fee) leaves the balance, the reservation is released, the
 * ledger gets its lines. Both are keyed by the call (`<session>:<n>`): a repeat changes nothing.
 */
import type { Client } from "@libsql/client";
import type { CardCommand, CardEvent, RatedDestination } from "../card-vocabulary";
import { num, str } from "./sql";

type Reserve = Extract<CardCommand, { type: "reserve_balance" }>;
type Settle = Extract<CardCommand, { type: "settle_card_call" }>;
type ReserveAnswer = Extract<CardEvent, { type: "balance_reserved" | "reserve_refused" }>;

const BLOCKED = `EXISTS (SELECT 1 FROM cc_pins p JOIN cc_batches b ON b.id = p.batch_id
  WHERE p.id = cc_accounts.pin_id AND (p.blocked = 1 OR b.blocked = 1))`;

export async function reserveBalance(client: Client, cmd: Reserve, now: number): Promise<ReserveAnswer> {
  const r: RatedDestination = cmd.rated;
  const results = await client.batch(
    [
      // The call's row first, with what it would take (read in this same write transaction).
      {
        sql: `INSERT OR IGNORE INTO cc_card_calls (id, session_id, account_id, batch_id, currency, destination, prefix,
                destination_name, sell_rate, buy_rate, first_block_sec, step_sec, connect_fee, reserved_amount, status, created_at)
              SELECT ?, ?, id, batch_id, currency, ?, ?, ?, ?, ?, ?, ?, ?, max(0, min(?, balance - reserved)), 'reserving', ?
              FROM cc_accounts WHERE id = ?`,
        args: [
          cmd.key,
          cmd.key.slice(0, cmd.key.lastIndexOf(":")),
          r.destination,
          r.prefix,
          r.destinationName,
          r.rate.sellRate,
          r.rate.buyRate,
          r.rate.firstBlockSec,
          r.rate.stepSec,
          r.rate.connectFee,
          cmd.amount,
          now,
          cmd.accountId,
        ],
      },
      // THE conditional update: enough available, a free call slot, a live card, this key not yet held.
      {
        sql: `UPDATE cc_accounts SET reserved = reserved + (SELECT reserved_amount FROM cc_card_calls WHERE id = ?),
                holds = holds + 1, updated_at = ?
              WHERE id = ? AND balance - reserved >= ? AND holds < ? AND expires_at > ? AND NOT ${BLOCKED}
                AND EXISTS (SELECT 1 FROM cc_card_calls WHERE id = ? AND status = 'reserving')`,
        args: [cmd.key, now, cmd.accountId, cmd.minimum, cmd.maxCalls, now, cmd.key],
      },
      {
        sql: `UPDATE cc_card_calls SET status = CASE WHEN changes() = 1 THEN 'held' ELSE 'refused' END
              WHERE id = ? AND status = 'reserving'`,
        args: [cmd.key],
      },
      {
        sql: `SELECT c.status, c.reserved_amount, a.balance, a.reserved, a.holds, a.expires_at, ${BLOCKED.replaceAll("cc_accounts.", "a.")} AS blocked
              FROM cc_card_calls c JOIN cc_accounts a ON a.id = c.account_id WHERE c.id = ?`,
        args: [cmd.key],
      },
    ],
    "write",
  );
  const row = results[3]?.rows[0];
  if (str(row, "status") === "held" || str(row, "status") === "settled")
    return { type: "balance_reserved", key: cmd.key, amount: num(row, "reserved_amount"), at: now };
  const reason =
    num(row, "blocked") === 1
      ? "blocked"
      : row && num(row, "expires_at") <= now
        ? "expired"
        : row && num(row, "holds") >= cmd.maxCalls
          ? "in_use"
          : "insufficient";
  return { type: "reserve_refused", key: cmd.key, reason, at: now };
}

export async function settleCardCall(client: Client, cmd: Settle, now: number) {
  const held = "EXISTS (SELECT 1 FROM cc_card_calls WHERE id = ? AND status = 'held')";
  const debit = cmd.amount + cmd.connectionFee;
  const results = await client.batch(
    [
      {
        sql: `UPDATE cc_accounts SET balance = balance - ?, reserved = reserved - (SELECT reserved_amount FROM cc_card_calls WHERE id = ?),
                holds = holds - 1, updated_at = ? WHERE id = ? AND ${held}`,
        args: [debit, cmd.key, now, cmd.accountId, cmd.key],
      },
      {
        sql: `INSERT OR IGNORE INTO cc_ledger (id, account_id, at, amount, tax_amount, reason, call_id, balance_after)
              SELECT ?, id, ?, ?, 0, 'call', ?, balance + ? FROM cc_accounts WHERE id = ? AND ? > 0 AND ${held}`,
        args: [
          `${cmd.key}:call`,
          now,
          -cmd.amount,
          cmd.key,
          cmd.connectionFee,
          cmd.accountId,
          cmd.amount,
          cmd.key,
        ],
      },
      {
        sql: `INSERT OR IGNORE INTO cc_ledger (id, account_id, at, amount, tax_amount, reason, call_id, balance_after)
              SELECT ?, id, ?, ?, ?, 'connection_fee', ?, balance FROM cc_accounts WHERE id = ? AND ? > 0 AND ${held}`,
        args: [
          `${cmd.key}:connection`,
          now,
          -cmd.connectionFee,
          -cmd.connectionTax,
          cmd.key,
          cmd.accountId,
          cmd.connectionFee,
          cmd.key,
        ],
      },
      {
        sql: `INSERT INTO cc_package_usage (account_id, package_id, period, used_seconds)
              SELECT ?, ?, ?, ? WHERE ? > 0 AND ? IS NOT NULL AND ${held}
              ON CONFLICT (account_id, package_id, period) DO UPDATE SET used_seconds = used_seconds + excluded.used_seconds`,
        args: [
          cmd.accountId,
          cmd.packageId,
          cmd.period,
          cmd.packageSeconds,
          cmd.packageSeconds,
          cmd.packageId,
          cmd.key,
        ],
      },
      {
        sql: `UPDATE cc_card_calls SET status = 'settled', outcome = ?, dest_leg_id = ?, talk_started_at = ?, ended_at = ?,
                billable_seconds = ?, package_seconds = ?, amount = ?, cost_micros = ?, settled_at = ?
              WHERE id = ? AND status = 'held'`,
        args: [
          cmd.outcome,
          cmd.destLegId,
          cmd.talkStartedAt,
          cmd.endedAt,
          cmd.billableSeconds,
          cmd.packageSeconds,
          debit,
          cmd.costMicros,
          now,
          cmd.key,
        ],
      },
      {
        sql: `SELECT c.amount, c.billable_seconds, a.balance, a.reserved FROM cc_card_calls c
              JOIN cc_accounts a ON a.id = c.account_id WHERE c.id = ?`,
        args: [cmd.key],
      },
    ],
    "write",
  );
  const row = results[5]?.rows[0];
  return {
    type: "card_call_settled" as const,
    key: cmd.key,
    amount: num(row, "amount"),
    billableSeconds: num(row, "billable_seconds"),
    balance: num(row, "balance"),
    available: num(row, "balance") - num(row, "reserved"),
    at: now,
  };
}
