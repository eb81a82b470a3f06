/**
 * Rating a destination for a card: the card's plan names its rate deck; the deck's current version
 * (in memory) gives the longest-prefix rate at this moment; a plan package whose prefixes cover the
 * number says how many free seconds are left this period; the plan's connection fee, taxed per the
 * batch's jurisdiction, is added per connected call. A deck in another currency than the card's
 * does not rate it.
 */
import type { Client } from "@libsql/client";
import type { CardEvent } from "../card-vocabulary";
import { currentVersion, rateTableFor } from "../rating/deck-cache";
import { periodIndex, type PeriodUnit } from "../rating/periods";
import { taxOn } from "../rating/pricing";
import { bool, num, str } from "./sql";

type Answer = Extract<CardEvent, { type: "destination_rated" | "destination_unrated" }>;

export async function rateForCard(
  client: Client,
  accountId: string,
  destination: string,
  now: number,
): Promise<Answer> {
  const unrated: Answer = { type: "destination_unrated", destination, at: now };
  const rs = await client.execute({
    sql: `SELECT a.currency, a.activated_at, b.taxable, b.tax_rate_ppm, pl.id AS plan_id, pl.rate_deck, pl.period_unit, pl.period_count
          FROM cc_accounts a JOIN cc_batches b ON b.id = a.batch_id JOIN cc_plans pl ON pl.id = b.plan_id WHERE a.id = ?`,
    args: [accountId],
  });
  const card = rs.rows[0];
  if (!card) return unrated;
  const version = await currentVersion(client, str(card, "rate_deck"), now);
  if (!version || version.currency.toLowerCase() !== str(card, "currency").toLowerCase()) return unrated;
  const row = (await rateTableFor(client, version)).lookup(destination.replace(/^\+/, ""), now);
  if (!row) return unrated;
  const planId = str(card, "plan_id");
  const period = periodIndex(num(card, "activated_at"), now, {
    unit: str(card, "period_unit") as PeriodUnit,
    count: num(card, "period_count"),
  });
  const extras = await client.batch(
    [
      {
        sql: "SELECT id, prefixes, free_seconds FROM cc_packages WHERE plan_id = ? ORDER BY id",
        args: [planId],
      },
      {
        sql: "SELECT coalesce(sum(amount), 0) AS fee FROM cc_charges WHERE plan_id = ? AND kind = 'connection'",
        args: [planId],
      },
      {
        sql: "SELECT package_id, used_seconds FROM cc_package_usage WHERE account_id = ? AND period = ?",
        args: [accountId, period],
      },
    ],
    "read",
  );
  const digits = destination.replace(/^\+/, "");
  const pkg = extras[0]?.rows.find((p) =>
    (JSON.parse(str(p, "prefixes")) as string[]).some((prefix) => digits.startsWith(prefix)),
  );
  const used = pkg
    ? num(
        extras[2]?.rows.find((u) => str(u, "package_id") === str(pkg, "id")),
        "used_seconds",
      )
    : 0;
  const fee = num(extras[1]?.rows[0], "fee");
  const tax = bool(card, "taxable") ? taxOn(fee, num(card, "tax_rate_ppm")) : 0;
  return {
    type: "destination_rated",
    destination,
    prefix: row.prefix,
    destinationName: row.destination,
    rate: {
      sellRate: row.sellRate,
      buyRate: row.buyRate,
      firstBlockSec: row.firstBlockSec,
      stepSec: row.stepSec,
      connectFee: row.connectFee,
    },
    packageLeft: pkg ? Math.max(0, num(pkg, "free_seconds") - used) : 0,
    packageId: pkg ? str(pkg, "id") : null,
    period,
    connectionFee: fee + tax,
    connectionTax: tax,
    at: now,
  };
}
