/**
 * /v1/secure-payments: every finished payment request (the records), newest first, filtered by
 * agent, line, call, status and a finished_at range; one by its transaction id; and the same list
 * as CSV. Agent tokens see their own agent's records only.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { MERCHANT_READ_SCOPES, scoped, seesEveryAgent } from "../../api/auth";
import { merchantOf } from "../../api/merchant-scope";
import { createApiRouter, dbOf, type ApiEnv } from "../../api/context";
import { csvResponse } from "../../api/csv-stream";
import { decodeCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { notFoundProblem, ProblemError, problemResponses } from "../../api/problem";
import { DateOrDateTime, idParam, jsonContent as json } from "../../api/schemas";
import { minorToDecimal } from "../../billing/currency";
import { listRecords, recordById, sortKeyOf, type PaymentFilters } from "../payment-store";
import type { SecurePaymentRow } from "../schema";
import { RECORD_STATUSES } from "../vocabulary";
import { renderRow, SecurePaymentSchema } from "./payment-schemas";

const filterQuery = {
  agent_id: z.string().max(64).optional(),
  line_id: z.string().max(64).optional(),
  call_id: z.string().max(200).optional(),
  status: z.enum(RECORD_STATUSES).optional(),
  from: DateOrDateTime.optional().openapi({ description: "finished_at ≥ this (UTC)" }),
  to: DateOrDateTime.optional().openapi({ description: "finished_at < this; a bare date includes that day" }),
};
const tag = ["Secure payments"];

/** An agent token is narrowed to its own agent (asking for another's is refused, not ignored). */
function scopedFilters(c: Context<ApiEnv>, q: PaymentFilters): PaymentFilters {
  const p = c.get("principal");
  if (seesEveryAgent(p)) return { ...q, merchant_id: merchantOf(p) ?? undefined };
  if (q.agent_id !== undefined && q.agent_id !== p.agentId)
    throw new ProblemError(403, "Forbidden", "An agent token lists its own agent's payments only.");
  return { ...q, agent_id: p.agentId ?? "" };
}

const HEADER = [
  "id",
  "finished_at",
  "requested_at",
  "agent_id",
  "agent_name",
  "line_id",
  "product",
  "call_id",
  "item",
  "amount_minor",
  "amount",
  "currency",
  "status",
  "reason",
  "decline_code",
  "card_brand",
  "card_last4",
  "left_by",
  "requested_by",
  "payment_id",
] as const;

function csvRow(row: SecurePaymentRow) {
  const r = renderRow(row);
  return [
    r.id,
    r.finished_at,
    r.requested_at,
    r.agent_id,
    r.agent_name,
    r.line_id,
    r.product,
    r.call_id,
    r.item,
    r.amount,
    minorToDecimal(r.amount, r.currency),
    r.currency,
    r.status,
    r.reason,
    r.decline_code,
    r.card_brand,
    r.card_last4,
    r.left_by,
    r.requested_by,
    r.payment_id,
  ];
}

export const securePaymentsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/secure-payments",
      tags: tag,
      summary: "List secure-payment records, newest first (agent tokens: their own)",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { query: z.object({ ...pageQuery, ...filterQuery }) },
      responses: {
        200: {
          description: "A page of records",
          content: json(pageOf(SecurePaymentSchema, "SecurePaymentPage")),
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const { limit, cursor, ...q } = c.req.valid("query");
      const after = cursor === undefined ? undefined : decodeCursor(cursor);
      const rows = await listRecords(dbOf(c), scopedFilters(c, q), after, limit + 1);
      return c.json(toPage(rows, limit, sortKeyOf, renderRow), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/secure-payments.csv",
      tags: tag,
      summary: "Export secure-payment records as CSV (same filters as the list)",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { query: z.object(filterQuery) },
      responses: {
        200: {
          description: "RFC 4180 CSV with a header row; amount_minor in minor units, amount as a decimal",
          content: { "text/csv": { schema: z.string() } },
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const filters = scopedFilters(c, c.req.valid("query"));
      const db = dbOf(c);
      return csvResponse<SecurePaymentRow>({
        filename: "secure-payments.csv",
        header: HEADER,
        batch: (last, size) => listRecords(db, filters, last ? sortKeyOf(last) : undefined, size),
        row: csvRow,
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/secure-payments/{paymentId}",
      tags: tag,
      summary: "One secure-payment record by its transaction id",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: z.object({ paymentId: idParam("paymentId", "sp_428c31b6_1") }) },
      responses: {
        200: { description: "The record", content: json(SecurePaymentSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { paymentId } = c.req.valid("param");
      const row = await recordById(dbOf(c), paymentId);
      const p = c.get("principal");
      const mine = seesEveryAgent(p) || row?.agentId === p.agentId;
      if (!row || !mine) throw notFoundProblem(`Secure payment ${paymentId}`);
      return c.json(renderRow(row), 200);
    },
  );
