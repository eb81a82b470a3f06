/**
 * GET /v1/calls.csv: the call list as a spreadsheet, same filters as /v1/calls, newest first,
 * every matching row (streamed in keyset batches, so a large export never sits in memory).
 * The first batch is read before answering, so an unreachable database is a problem, not a 200.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { merchantOf } from "../../api/merchant-scope";
import { createApiRouter, dbOf } from "../../api/context";
import type { CsvValue } from "../../api/csv";
import { csvResponse } from "../../api/csv-stream";
import { afterKey } from "../../api/paging";
import { problemResponses } from "../../api/problem";
import { minorToDecimal } from "../../billing/currency";
import type { Db } from "../../db/client";
import { calls } from "../../db/schema";
import { callFilterQuery, callFilterSql, type CallFilters } from "./call-filters";
import { renderCall, type CallRow } from "./calls";

const HEADER = [
  "id",
  "line_id",
  "product",
  "caller_number",
  "called_number",
  "started_at",
  "answered_at",
  "talk_started_at",
  "ended_at",
  "billable_seconds",
  "status",
  "hangup_cause",
  "agent_id",
  "amount_minor",
  "amount",
  "currency",
  "card_brand",
  "card_last4",
  "payment_id",
  "answers",
] as const;

function csvRowOf(row: CallRow): CsvValue[] {
  const r = renderCall(row);
  return [
    r.id,
    r.line_id,
    r.product,
    r.caller_number,
    r.called_number,
    r.started_at,
    r.answered_at,
    r.talk_started_at,
    r.ended_at,
    r.billable_seconds,
    r.status,
    r.hangup_cause,
    r.agent_id,
    r.amount,
    minorToDecimal(r.amount, r.currency),
    r.currency,
    r.card_brand,
    r.card_last4,
    r.payment_id,
    r.answers ? JSON.stringify(r.answers) : null,
  ];
}

function batchAfter(
  db: Db,
  filters: CallFilters,
  last: CallRow | undefined,
  size: number,
): Promise<CallRow[]> {
  const after = last ? afterKey([last.startedAt, last.id], calls.startedAt, calls.id, "desc") : undefined;
  return db
    .select()
    .from(calls)
    .where(and(...callFilterSql(filters), after))
    .orderBy(desc(calls.startedAt), desc(calls.id))
    .limit(size);
}

export const callsCsvRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/calls.csv",
    tags: ["Calls"],
    summary: "Export calls as CSV (same filters as the call list)",
    ...scoped(...MERCHANT_READ_SCOPES),
    request: { query: z.object(callFilterQuery) },
    responses: {
      200: {
        description: "RFC 4180 CSV with a header row; amount_minor in minor units, amount as a decimal",
        content: { "text/csv": { schema: z.string() } },
      },
      ...problemResponses(401, 403, 422),
    },
  }),
  async (c) => {
    const filters = { ...c.req.valid("query"), merchant_id: merchantOf(c.get("principal")) ?? undefined };
    const db = dbOf(c);
    return csvResponse<CallRow>({
      filename: "calls.csv",
      header: HEADER,
      batch: (last, size) => batchAfter(db, filters, last, size),
      row: csvRowOf,
    });
  },
);
