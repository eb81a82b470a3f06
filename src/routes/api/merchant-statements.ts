/**
 * GET /v1/merchants/{merchantId}/statement?date=YYYY-MM-DD (JSON) and …/statement.csv: one UTC day
 * of a merchant's calls (by when they ended) — calls, talk, gross, refunds, platform fees, net —
 * per currency, and each call. A day of one merchant is small, so it is read whole.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, gte, inArray, lt } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { createApiRouter, dbOf } from "../../api/context";
import { csvLine } from "../../api/csv";
import { problemResponses } from "../../api/problem";
import { DateOnly, endOf, jsonContent as json, startOf, toIso } from "../../api/schemas";
import { minorToDecimal } from "../../billing/currency";
import {
  statementLines,
  statementTotals,
  type StatementLine,
  type StatementTotal,
} from "../../billing/merchant-statement";
import type { Db } from "../../db/client";
import { calls, payments } from "../../db/schema";
import { findMerchant, MerchantParams } from "./merchant-schemas";

const StatementQuery = z.object({ date: DateOnly.openapi({ description: "The UTC day" }) });

const TotalSchema = z.object({
  currency: z.string(),
  calls: z.number().int(),
  talk_seconds: z.number().int(),
  gross: z.number().int().openapi({ description: "Charged and captured, minor units" }),
  refunds: z.number().int(),
  fees: z.number().int().openapi({ description: "The platform's application fees" }),
  net: z.number().int().openapi({ description: "gross − refunds − fees: the merchant's" }),
});
const StatementCallSchema = z.object({
  call_id: z.string(),
  line_id: z.string(),
  ended_at: z.string(),
  billable_seconds: z.number().int(),
  currency: z.string(),
  gross: z.number().int(),
  refunds: z.number().int(),
  fee: z.number().int(),
  net: z.number().int(),
  payment_id: z.string().nullable(),
});
const StatementSchema = z
  .object({
    merchant_id: z.string(),
    date: z.string(),
    totals: z.array(TotalSchema),
    calls: z.array(StatementCallSchema),
  })
  .openapi("MerchantStatement");

async function statementOf(db: Db, merchantId: string, date: string) {
  const rows = await db
    .select({
      id: calls.id,
      lineId: calls.lineId,
      endedAt: calls.endedAt,
      billableSeconds: calls.billableSeconds,
      currency: calls.currency,
      applicationFee: calls.applicationFee,
      paymentId: calls.paymentId,
    })
    .from(calls)
    .where(
      and(
        eq(calls.merchantId, merchantId),
        gte(calls.endedAt, startOf(date)),
        lt(calls.endedAt, endOf(date)),
      ),
    )
    .orderBy(asc(calls.endedAt), asc(calls.id));
  const pays = rows.length
    ? await db
        .select({
          callId: payments.callId,
          kind: payments.kind,
          status: payments.status,
          amount: payments.amount,
        })
        .from(payments)
        .where(
          inArray(
            payments.callId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const lines = statementLines(rows, pays);
  return { lines, totals: statementTotals(lines) };
}

const renderTotal = (t: StatementTotal) => ({
  currency: t.currency,
  calls: t.calls,
  talk_seconds: t.talkSeconds,
  gross: t.gross,
  refunds: t.refunds,
  fees: t.fees,
  net: t.net,
});
const renderLine = (l: StatementLine) => ({
  call_id: l.callId,
  line_id: l.lineId,
  ended_at: toIso(l.endedAt),
  billable_seconds: l.billableSeconds,
  currency: l.currency,
  gross: l.gross,
  refunds: l.refunds,
  fee: l.fee,
  net: l.net,
  payment_id: l.paymentId,
});

const CSV_HEADER = [
  "call_id",
  "line_id",
  "ended_at",
  "billable_seconds",
  "currency",
  "gross",
  "refunds",
  "fee",
  "net",
  "net_minor",
  "payment_id",
] as const;

const tag = ["Merchants"];
export const merchantStatementsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/merchants/{merchantId}/statement",
      tags: tag,
      summary: "A merchant's daily statement: calls, talk, gross, refunds, fees and net per currency",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: MerchantParams, query: StatementQuery },
      responses: {
        200: { description: "The statement", content: json(StatementSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const merchant = await findMerchant(db, c.req.valid("param").merchantId);
      const { date } = c.req.valid("query");
      const { lines, totals } = await statementOf(db, merchant.id, date);
      return c.json(
        { merchant_id: merchant.id, date, totals: totals.map(renderTotal), calls: lines.map(renderLine) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/merchants/{merchantId}/statement.csv",
      tags: tag,
      summary: "A merchant's daily statement as CSV, one row per call (amounts as decimals)",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: MerchantParams, query: StatementQuery },
      responses: {
        200: { description: "CSV", content: { "text/csv": { schema: z.string() } } },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const merchant = await findMerchant(db, c.req.valid("param").merchantId);
      const { date } = c.req.valid("query");
      const { lines } = await statementOf(db, merchant.id, date);
      const dec = (minor: number, currency: string) => minorToDecimal(minor, currency);
      const body =
        csvLine(CSV_HEADER) +
        lines
          .map((l) =>
            csvLine([
              l.callId,
              l.lineId,
              toIso(l.endedAt),
              l.billableSeconds,
              l.currency,
              dec(l.gross, l.currency),
              dec(l.refunds, l.currency),
              dec(l.fee, l.currency),
              dec(l.net, l.currency),
              l.net,
              l.paymentId,
            ]),
          )
          .join("");
      return c.body(body, 200, {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": `attachment; filename="statement-${merchant.id}-${date}.csv"`,
      });
    },
  );
