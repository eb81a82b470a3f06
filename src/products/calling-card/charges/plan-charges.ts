/**
 * Plan charges, applied by the Worker's cron: for every account that owes one (next_charge_at ≤
 * now), each one-time charge once (period 0, at activation) and each recurring charge once per
 * period after the first, taxed per the batch's jurisdiction. Each charge is a ledger line keyed
 * `<account>:<charge>:<period>`, so a re-run, an overlapping run or a retried batch charges
 * nothing twice. A charge takes what the account has available, down to zero, never below.
 * Periods missed while the cron was down are all charged, each once; none after the card expired.
 */
import type { Client, Row } from "@libsql/client";
import { divideRoundingUp } from "../../../billing/rounding";
import { periodIndex, periodStart, type PeriodUnit, type PlanPeriod } from "../rating/periods";
import { taxOn } from "../rating/pricing";
import { bool, num, str } from "../db/sql";

const PAGE = 200;

interface PlanCharge {
  id: string;
  kind: "recurring" | "one_time";
  name: string;
  amount: number;
}

export interface ChargeRun {
  accounts: number;
  charged: number;
  skipped: number;
}

async function chargesOf(
  client: Client,
  planId: string,
  cache: Map<string, PlanCharge[]>,
): Promise<PlanCharge[]> {
  let list = cache.get(planId);
  if (!list) {
    const rs = await client.execute({
      sql: "SELECT id, kind, name, amount FROM cc_charges WHERE plan_id = ? AND kind IN ('recurring', 'one_time') ORDER BY id",
      args: [planId],
    });
    list = rs.rows.map((r) => ({
      id: str(r, "id"),
      kind: str(r, "kind") as PlanCharge["kind"],
      name: str(r, "name"),
      amount: num(r, "amount"),
    }));
    cache.set(planId, list);
  }
  return list;
}

/** One charge on one account for one period: written once, whatever happens around it. */
async function applyOne(
  client: Client,
  account: Row,
  charge: PlanCharge,
  period: number,
  at: number,
): Promise<boolean> {
  const key = `${str(account, "id")}:${charge.id}:${period}`;
  const tax = bool(account, "taxable") ? taxOn(charge.amount, num(account, "tax_rate_ppm")) : 0;
  const total = charge.amount + tax;
  const fresh = await client.execute({
    sql: "SELECT balance, reserved FROM cc_accounts WHERE id = ?",
    args: [str(account, "id")],
  });
  const available = Math.max(0, num(fresh.rows[0], "balance") - num(fresh.rows[0], "reserved"));
  const taken = Math.min(total, available);
  const taxTaken =
    taken === total
      ? tax
      : tax === 0 || taken === 0
        ? 0
        : Math.min(taken, divideRoundingUp(taken * tax, total));
  const results = await client.batch(
    [
      {
        sql: `UPDATE cc_accounts SET balance = balance - ?, updated_at = ?
              WHERE id = ? AND balance - reserved >= ? AND NOT EXISTS (SELECT 1 FROM cc_ledger WHERE id = ?)`,
        args: [taken, at, str(account, "id"), taken, key],
      },
      {
        sql: `INSERT INTO cc_ledger (id, account_id, at, amount, tax_amount, reason, note, balance_after)
              SELECT ?, id, ?, ?, ?, ?, ?, balance FROM cc_accounts WHERE id = ? AND changes() = 1`,
        args: [
          key,
          at,
          -taken,
          -taxTaken,
          charge.kind === "recurring" ? "recurring_fee" : "one_time_fee",
          taken < total
            ? `${charge.name} (period ${period}; only ${taken} of ${total} available)`
            : `${charge.name} (period ${period})`,
          str(account, "id"),
        ],
      },
      { sql: "SELECT 1 FROM cc_ledger WHERE id = ?", args: [key] },
    ],
    "write",
  );
  return results[2]!.rows.length > 0;
}

/** Charges every account due by `at`; safe to run as often as wanted. */
export async function applyPlanCharges(client: Client, at: number): Promise<ChargeRun> {
  const run: ChargeRun = { accounts: 0, charged: 0, skipped: 0 };
  const cache = new Map<string, PlanCharge[]>();
  let afterId = "";
  for (;;) {
    const rs = await client.execute({
      sql: `SELECT a.id, a.activated_at, a.expires_at, a.next_charge_at, b.taxable, b.tax_rate_ppm, b.plan_id,
              pl.period_unit, pl.period_count
            FROM cc_accounts a JOIN cc_batches b ON b.id = a.batch_id JOIN cc_plans pl ON pl.id = b.plan_id
            WHERE a.next_charge_at IS NOT NULL AND a.next_charge_at <= ? AND a.id > ? ORDER BY a.id LIMIT ${PAGE}`,
      args: [at, afterId],
    });
    for (const account of rs.rows) {
      run.accounts += 1;
      const period: PlanPeriod = {
        unit: str(account, "period_unit") as PeriodUnit,
        count: num(account, "period_count"),
      };
      const anchor = num(account, "activated_at");
      const expires = num(account, "expires_at");
      const charges = await chargesOf(client, str(account, "plan_id"), cache);
      const from = periodIndex(anchor, num(account, "next_charge_at"), period);
      const to = periodIndex(anchor, Math.min(at, expires - 1), period);
      let complete = true;
      for (let k = from; k <= to; k++)
        for (const charge of charges) {
          if ((charge.kind === "one_time") !== (k === 0)) continue;
          if (await applyOne(client, account, charge, k, at)) run.charged += 1;
          else complete = false;
        }
      if (!complete) {
        run.skipped += 1; // the balance moved meanwhile: still due, the next run takes it
        continue;
      }
      const next = periodStart(anchor, Math.max(1, to + 1), period);
      const recurring = charges.some((c) => c.kind === "recurring");
      await client.execute({
        sql: "UPDATE cc_accounts SET next_charge_at = ? WHERE id = ?",
        args: [recurring && next < expires ? next : null, str(account, "id")],
      });
    }
    if (rs.rows.length < PAGE) return run;
    afterId = str(rs.rows[rs.rows.length - 1], "id");
  }
}
