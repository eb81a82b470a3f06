/**
 * GET /v1/lines/{lineId}/report?from=&to=: per UTC day (from and to inclusive, every day listed,
 * empty ones as zeros) the calls, completed calls, billable seconds, talk minutes and revenue per
 * currency, plus totals. Summed in SQL; revenue is integer minor units, never converted between
 * currencies. Talk minutes are time actually talked, not the billed (rounded-up) seconds.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq, gte, lt, sql } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { createApiRouter, dbOf } from "../../api/context";
import { problemResponses, validationProblem } from "../../api/problem";
import { DateOnly, endOf, idParam, startOf } from "../../api/schemas";
import { calls } from "../../db/schema";
import { findLine } from "./line-schemas";

const MAX_DAYS = 366;
const DAY_MS = 86_400_000;

const Money = z.object({
  amount: z.number().int().openapi({ description: "Minor units" }),
  currency: z.string(),
});
const Figures = z.object({
  calls: z.number().int(),
  completed_calls: z.number().int(),
  billable_seconds: z.number().int(),
  talk_minutes: z.number().openapi({
    description:
      "Time actually talked (ended_at - talk_started_at, calls that reached talking), in minutes rounded half up to 2 decimals; billable_seconds is the billed, rounded-up figure",
    example: 12.5,
  }),
  revenue: z.array(Money),
});
const ReportSchema = z
  .object({
    line_id: z.string(),
    from: z.string(),
    to: z.string(),
    days: z.array(Figures.extend({ date: z.string().openapi({ example: "2026-11-21" }) })),
    totals: Figures,
  })
  .openapi("LineReport");

type Figures = z.infer<typeof Figures>;
const empty = (): Figures => ({
  calls: 0,
  completed_calls: 0,
  billable_seconds: 0,
  talk_minutes: 0,
  revenue: [],
});

/** The report's one rounding: minutes to 2 decimals, halves away from zero (inputs are ≥ 0). */
const minutesRoundedHalfUp = (ms: number): number => Math.round((ms * 100) / 60_000) / 100;

/** Figures plus the exact talk time, so minutes are rounded once from the sum, never summed rounded. */
interface Tally {
  figures: Figures;
  talkMs: number;
}
const emptyTally = (): Tally => ({ figures: empty(), talkMs: 0 });

function add(
  tally: Tally,
  row: {
    calls: number;
    completed: number;
    seconds: number;
    talkMs: number;
    revenue: number;
    currency: string;
  },
) {
  const into = tally.figures;
  into.calls += row.calls;
  into.completed_calls += row.completed;
  into.billable_seconds += row.seconds;
  tally.talkMs += row.talkMs;
  into.talk_minutes = minutesRoundedHalfUp(tally.talkMs);
  const money = into.revenue.find((m) => m.currency === row.currency);
  if (money) money.amount += row.revenue;
  else into.revenue.push({ amount: row.revenue, currency: row.currency });
}

export const reportsRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/lines/{lineId}/report",
    tags: ["Reports"],
    summary: "Daily totals for a line (UTC days, from and to inclusive)",
    ...scoped(...MERCHANT_READ_SCOPES),
    request: {
      params: z.object({ lineId: idParam("lineId", "ln_4fJ9s0QbXk2mT7aLzP1c") }),
      query: z.object({ from: DateOnly, to: DateOnly }),
    },
    responses: {
      200: { description: "The report", content: { "application/json": { schema: ReportSchema } } },
      ...problemResponses(401, 403, 404, 422),
    },
  }),
  async (c) => {
    const { from, to } = c.req.valid("query");
    const start = startOf(from);
    const end = endOf(to);
    if (end <= start) throw validationProblem([{ field: "to", message: "must not be before from" }]);
    if ((end - start) / DAY_MS > MAX_DAYS)
      throw validationProblem([{ field: "to", message: `at most ${MAX_DAYS} days after from` }]);
    const db = dbOf(c);
    const line = await findLine(db, c.req.valid("param").lineId);
    const day = sql<string>`date(${calls.startedAt} / 1000, 'unixepoch')`;
    const rows = await db
      .select({
        day,
        currency: calls.currency,
        calls: sql<number>`count(*)`,
        completed: sql<number>`coalesce(sum(${calls.status} = 'completed'), 0)`,
        seconds: sql<number>`coalesce(sum(${calls.billableSeconds}), 0)`,
        // No talk_started_at (never reached talking): max(NULL, 0) is NULL, which sum() skips.
        talkMs: sql<number>`coalesce(sum(max(${calls.endedAt} - ${calls.talkStartedAt}, 0)), 0)`,
        revenue: sql<number>`coalesce(sum(${calls.amount}), 0)`,
      })
      .from(calls)
      .where(and(eq(calls.lineId, line.id), gte(calls.startedAt, start), lt(calls.startedAt, end)))
      .groupBy(day, calls.currency);
    const days = new Map<string, Tally>();
    for (let t = start; t < end; t += DAY_MS) days.set(new Date(t).toISOString().slice(0, 10), emptyTally());
    const totals = emptyTally();
    for (const row of rows) {
      const tally = days.get(row.day);
      if (tally) add(tally, row);
      add(totals, row);
    }
    const daysOut = [...days].map(([date, t]) => ({ date, ...t.figures }));
    return c.json({ line_id: line.id, from, to, days: daysOut, totals: totals.figures }, 200);
  },
);
