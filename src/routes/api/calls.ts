/**
 * /v1/calls: finished calls (written once by the CallSession when a call settles), newest first,
 * and one call with its timeline and payments. Live calls are not here: they live in their DO.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { merchantOf } from "../../api/merchant-scope";
import { createApiRouter, dbOf } from "../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { notFoundProblem, problemResponses } from "../../api/problem";
import { idParam, IsoTime, toIso, toIsoOrNull, jsonContent as json } from "../../api/schemas";
import { callEvents, calls, payments } from "../../db/schema";
import { callFilterQuery, callFilterSql } from "./call-filters";
import { PaymentSchema, renderPayment } from "./payments";

export const CallSchema = z
  .object({
    id: z.string().openapi({ description: "Telnyx call_session_id" }),
    line_id: z.string(),
    product: z.string(),
    caller_number: z.string(),
    called_number: z.string(),
    started_at: IsoTime,
    answered_at: IsoTime.nullable(),
    talk_started_at: IsoTime.nullable(),
    ended_at: IsoTime,
    billable_seconds: z.number().int(),
    amount: z.number().int().openapi({ description: "Minor units (öre, cents)", example: 4900 }),
    currency: z.string().openapi({ example: "sek" }),
    status: z.string(),
    hangup_cause: z.string().nullable(),
    ended_by: z
      .enum(["caller", "agent", "system"])
      .nullable()
      .openapi({ description: "Who ended the call: the caller, the agent, or Meterline (limit, goodbye)" }),
    agent_id: z.string().nullable(),
    card_brand: z.string().nullable(),
    card_last4: z.string().nullable(),
    payment_id: z.string().nullable(),
    answers: z
      .record(z.string(), z.string().nullable())
      .nullable()
      .openapi({ description: "Answers to the line's voice questions, by field (null: not understood)" }),
  })
  .openapi("Call");

const TimelineEntry = z
  .object({
    seq: z.number().int(),
    at: IsoTime,
    event: z.string(),
    from_state: z.string(),
    to_state: z.string(),
  })
  .openapi("CallTimelineEntry");
const CallDetailSchema = CallSchema.extend({
  timeline: z.array(TimelineEntry),
  payments: z.array(PaymentSchema),
}).openapi("CallDetail");

export type CallRow = typeof calls.$inferSelect;
export const renderCall = (row: CallRow) => ({
  id: row.id,
  line_id: row.lineId,
  product: row.product,
  caller_number: row.callerNumber,
  called_number: row.calledNumber,
  started_at: toIso(row.startedAt),
  answered_at: toIsoOrNull(row.answeredAt),
  talk_started_at: toIsoOrNull(row.talkStartedAt),
  ended_at: toIso(row.endedAt),
  billable_seconds: row.billableSeconds,
  amount: row.amount,
  currency: row.currency,
  status: row.status,
  hangup_cause: row.hangupCause,
  ended_by: row.endedBy,
  agent_id: row.agentId,
  card_brand: row.cardBrand,
  card_last4: row.cardLast4,
  payment_id: row.paymentId,
  answers: row.answers ?? null,
});

const tag = ["Calls"];

export const callsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/calls",
      tags: tag,
      summary: "List finished calls, newest first",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { query: z.object({ ...pageQuery, ...callFilterQuery }) },
      responses: {
        200: { description: "A page of calls", content: json(pageOf(CallSchema, "CallPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = { ...c.req.valid("query"), merchant_id: merchantOf(c.get("principal")) ?? undefined };
      const rows = await dbOf(c)
        .select()
        .from(calls)
        .where(and(...callFilterSql(q), afterCursor(q.cursor, calls.startedAt, calls.id, "desc")))
        .orderBy(desc(calls.startedAt), desc(calls.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.startedAt, r.id], renderCall),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/calls/{callId}",
      tags: tag,
      summary: "Get a call with its timeline and payments",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: z.object({ callId: idParam("callId", "428c31b6-7af4-4bcb-b7f5-5013ef9657c1") }) },
      responses: {
        200: { description: "The call", content: json(CallDetailSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const { callId } = c.req.valid("param");
      const [call, timeline, moneyMoves] = await db.batch([
        db.select().from(calls).where(eq(calls.id, callId)).limit(1),
        db.select().from(callEvents).where(eq(callEvents.callId, callId)).orderBy(asc(callEvents.seq)),
        db
          .select()
          .from(payments)
          .where(eq(payments.callId, callId))
          .orderBy(asc(payments.at), asc(payments.id)),
      ]);
      const row = call[0];
      if (!row) throw notFoundProblem(`Call ${callId}`);
      return c.json(
        {
          ...renderCall(row),
          timeline: timeline.map((e) => ({
            seq: e.seq,
            at: toIso(e.at),
            event: e.event,
            from_state: e.fromState,
            to_state: e.toState,
          })),
          payments: moneyMoves.map(renderPayment),
        },
        200,
      );
    },
  );
