/**
 * The filters shared by the call list and the CSV export, so both always select the same calls:
 * line_id, status and a started_at range (from inclusive; a bare-date `to` covers that whole day).
 */
import { z } from "@hono/zod-openapi";
import { eq, gte, lt, type SQL } from "drizzle-orm";
import { DateOrDateTime, endOf, startOf } from "../../api/schemas";
import { callsOfMerchant } from "../../api/merchant-scope";
import { calls } from "../../db/schema";
import type { CallStatus } from "../../ivr/types";

export const CALL_STATUSES = [
  "completed",
  "declined_terms",
  "payment_failed",
  "abandoned",
  "voicemail",
  "no_agent",
  "failed",
] as const satisfies readonly CallStatus[];

export const callFilterQuery = {
  line_id: z.string().max(64).optional(),
  status: z.enum(CALL_STATUSES).optional(),
  from: DateOrDateTime.optional().openapi({ description: "started_at ≥ this (UTC)" }),
  to: DateOrDateTime.optional().openapi({ description: "started_at < this; a bare date includes that day" }),
};

export interface CallFilters {
  line_id?: string | undefined;
  status?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  /** Set from a merchant's token (never from the query): that merchant's calls only. */
  merchant_id?: string | undefined;
}

export function callFilterSql(q: CallFilters): (SQL | undefined)[] {
  return [
    q.line_id === undefined ? undefined : eq(calls.lineId, q.line_id),
    q.status === undefined ? undefined : eq(calls.status, q.status),
    q.from === undefined ? undefined : gte(calls.startedAt, startOf(q.from)),
    q.to === undefined ? undefined : lt(calls.startedAt, endOf(q.to)),
    q.merchant_id === undefined ? undefined : callsOfMerchant(q.merchant_id),
  ];
}
