/**
 * The margin report's sums, in SQL over the settled card calls that connected: revenue in minor
 * units, cost in micro-units at the buy rate; the margin is revenue in micro-units minus the cost,
 * exact. Telnyx's cost (call.cost, per leg) is summed where it arrived for the dialled leg.
 */
import type { Client } from "@libsql/client";
import { microsPerMinor } from "../rating/pricing";
import { num, str } from "./sql";

const KEYS = {
  destination: "c.prefix || ' ' || c.destination_name",
  batch: "c.batch_id",
  day: "date(c.ended_at / 1000, 'unixepoch')",
} as const;

export interface MarginRow {
  key: string;
  currency: string;
  calls: number;
  billed_minutes: number;
  revenue: number;
  cost_micros: number;
  margin_micros: number;
  margin_percent: number | null;
  telnyx_cost_micros: number | null;
}

/** revenue − cost as a share of revenue, in percent to 2 decimals (halves away from zero). */
export function marginOf(revenueMinor: number, costMicros: number, currency: string) {
  const revenueMicros = revenueMinor * microsPerMinor(currency);
  const margin = revenueMicros - costMicros;
  return { margin, percent: revenueMicros > 0 ? Math.round((margin * 10_000) / revenueMicros) / 100 : null };
}

export async function marginRows(
  client: Client,
  groupBy: keyof typeof KEYS,
  from: number,
  to: number,
): Promise<MarginRow[]> {
  const rs = await client.execute({
    sql: `SELECT ${KEYS[groupBy]} AS k, c.currency, count(*) AS calls, sum(c.billable_seconds) AS seconds,
            sum(c.amount) AS revenue, sum(c.cost_micros) AS cost, sum(t.total) AS telnyx
          FROM cc_card_calls c
          LEFT JOIN (SELECT call_id, leg_id, sum(total_micros) AS total FROM call_costs GROUP BY call_id, leg_id) t
            ON t.call_id = c.session_id AND t.leg_id = c.dest_leg_id
          WHERE c.status = 'settled' AND c.talk_started_at IS NOT NULL AND c.ended_at >= ? AND c.ended_at < ?
          GROUP BY k, c.currency ORDER BY k, c.currency`,
    args: [from, to],
  });
  return rs.rows.map((r) => {
    const currency = str(r, "currency");
    const { margin, percent } = marginOf(num(r, "revenue"), num(r, "cost"), currency);
    return {
      key: str(r, "k"),
      currency,
      calls: num(r, "calls"),
      billed_minutes: Math.round((num(r, "seconds") * 100) / 60) / 100,
      revenue: num(r, "revenue"),
      cost_micros: num(r, "cost"),
      margin_micros: margin,
      margin_percent: percent,
      telnyx_cost_micros: r.telnyx === null ? null : num(r, "telnyx"),
    };
  });
}
