/**
 * A plan's billing periods, anchored at the card's activation: period 0 starts at activation,
 * period k at activation + k × (count × unit). Months and years step by calendar (31 Jan + 1 month
 * is 28/29 Feb, clamped), in UTC. Pure.
 */
export type PeriodUnit = "day" | "week" | "month" | "year";
export interface PlanPeriod {
  unit: PeriodUnit;
  count: number;
}

const DAY_MS = 86_400_000;

/** The start of period k (epoch ms). */
export function periodStart(anchor: number, k: number, period: PlanPeriod): number {
  if (period.unit === "day" || period.unit === "week") {
    const days = period.unit === "day" ? period.count : period.count * 7;
    return anchor + k * days * DAY_MS;
  }
  const months = (period.unit === "month" ? 1 : 12) * period.count * k;
  const d = new Date(anchor);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(
    y,
    m,
    Math.min(d.getUTCDate(), lastDay),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
    d.getUTCMilliseconds(),
  );
}

/** Which period `at` falls in (0 = the first, from activation). */
export function periodIndex(anchor: number, at: number, period: PlanPeriod): number {
  if (at < anchor) return 0;
  const approxMs =
    (period.unit === "day" ? 1 : period.unit === "week" ? 7 : period.unit === "month" ? 28 : 365) *
    period.count *
    DAY_MS;
  let k = Math.max(0, Math.floor((at - anchor) / approxMs) - 1);
  while (periodStart(anchor, k + 1, period) <= at) k += 1;
  while (k > 0 && periodStart(anchor, k, period) > at) k -= 1;
  return k;
}
