/**
 * /v1/calls/{callId}/payment-requests: an agent asks the caller on their call to pay (the call's
 * CallSession isolates the agent and runs the caller through it), follows it, or takes it back
 * before the caller starts. Only the agent on that call (or an admin) may ask; each request
 * carries an Idempotency-Key, so a retry is the same request. A finished request is read from
 * Turso, a running one from the call itself.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { MERCHANT_READ_SCOPES, scoped, seesEveryAgent } from "../../api/auth";
import { createApiRouter, dbOf, type ApiEnv } from "../../api/context";
import { ProblemError, problemResponses } from "../../api/problem";
import { createdHeaders, idParam, jsonContent as json, locationOf } from "../../api/schemas";
import type { LiveFrame } from "../../../durable-objects/live-view";
import { actOn, actionPrincipal, IdempotencyHeaders } from "../../routes/api/live-calls";
import { recordById } from "../payment-store";
import { renderRecord, requestFromDetail, type PaymentRequestJson } from "../request-json";
import { CANCEL_PAYMENT, PAYMENT_STEP_ACTION, REQUEST_PAYMENT } from "../vocabulary";
import { PaymentRequestCreate, PaymentRequestSchema, PaymentStepCreate } from "./payment-schemas";

const CallParams = z.object({ callId: idParam("callId", "428c31b6-7af4-4bcb-b7f5-5013ef9657c1") });
const RequestParams = CallParams.extend({ requestId: idParam("requestId", "sp_428c31b6_1") });
const tag = ["Secure payments"];

/** Agent tokens see their own requests only; admin and readonly tokens (and a merchant's, on its calls) every one. */
const seesAll = (c: Context<ApiEnv>) => seesEveryAgent(c.get("principal"));

async function findRequest(
  c: Context<ApiEnv>,
  callId: string,
  requestId: string,
): Promise<PaymentRequestJson> {
  const agentId = c.get("principal").agentId ?? null;
  const row = await recordById(dbOf(c), requestId);
  if (row && row.callId === callId && (seesAll(c) || row.agentId === agentId)) return renderRecord(row);
  const frame = (await c.env.CALL_SESSION.getByName(callId).liveView()) as LiveFrame | null;
  const live = frame?.detail ? requestFromDetail(callId, frame.detail) : null;
  if (live?.id === requestId && (seesAll(c) || frame?.agentId === agentId)) return live;
  throw new ProblemError(404, "Not Found", `No payment request ${requestId} on call ${callId}.`);
}

export const paymentRequestsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/calls/{callId}/payment-requests",
      tags: tag,
      summary: "Ask the caller to pay: the agent is isolated and the caller keys their card",
      description:
        "Only the agent connected to the call (agent token) or an admin. 404: no such live call; 403: not your call; 409: the call is not in talk, has ended, or already runs a payment; 422: a field is invalid (amount not positive or over the line's maximum, another currency than the line's).",
      ...scoped("agent", "admin"),
      request: {
        params: CallParams,
        headers: IdempotencyHeaders,
        body: { content: json(PaymentRequestCreate), required: true },
      },
      responses: {
        201: { description: "Requested", headers: createdHeaders, content: json(PaymentRequestSchema) },
        ...problemResponses(401, 403, 404, 409, 415, 422),
      },
    }),
    async (c) => {
      const { callId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      const body = c.req.valid("json");
      const result = (await actOn(c, callId, REQUEST_PAYMENT, body, key)) as PaymentRequestJson;
      return c.json(result, 201, { Location: locationOf(c, result.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/calls/{callId}/payment-requests/{requestId}",
      tags: tag,
      summary: "A payment request's status: each step, then the outcome (live, or from its record)",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: RequestParams },
      responses: {
        200: { description: "The request", content: json(PaymentRequestSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { callId, requestId } = c.req.valid("param");
      return c.json(await findRequest(c, callId, requestId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/calls/{callId}/payment-requests/{requestId}",
      tags: tag,
      summary:
        "Cancel a payment request before the caller has confirmed the amount (assisted: before the charge)",
      description:
        "409 once the caller has confirmed the amount (assisted mode: once the card is being charged), or the request has ended. Idempotent: the same cancel again gets the same answer.",
      ...scoped("agent", "admin"),
      request: { params: RequestParams },
      responses: {
        200: { description: "Cancelled", content: json(PaymentRequestSchema) },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { callId, requestId } = c.req.valid("param");
      const by = actionPrincipal(c.get("principal"));
      // Derived, not a client's key: cancelling one request twice is one cancellation.
      const key = `cancel:${requestId}:${by.kind}:${by.agentId ?? ""}`;
      const result = await actOn(c, callId, CANCEL_PAYMENT, { request_id: requestId }, key);
      return c.json(result as PaymentRequestJson, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/calls/{callId}/payment-requests/{requestId}/steps",
      tags: tag,
      summary: "Assisted mode: ask the caller for one card field (again), or charge the card",
      description:
        "Lines whose securePayments.mode is assisted: the agent stays on the line (the caller's keys are muted towards them) and asks for number, expiry, cvc and zip in any order, any again, then charge once all four are complete. 409: the caller is entering a field, has not confirmed the amount, a field is missing for charge, the request runs in isolated mode or has ended; 404: no such running request. Each click carries its own Idempotency-Key, so a retry is applied once.",
      ...scoped("agent", "admin"),
      request: {
        params: RequestParams,
        headers: IdempotencyHeaders,
        body: { content: json(PaymentStepCreate), required: true },
      },
      responses: {
        200: { description: "Asked for", content: json(PaymentRequestSchema) },
        ...problemResponses(401, 403, 404, 409, 415, 422),
      },
    }),
    async (c) => {
      const { callId, requestId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      const { step } = c.req.valid("json");
      const result = await actOn(c, callId, PAYMENT_STEP_ACTION, { request_id: requestId, step }, key);
      return c.json(result as PaymentRequestJson, 200);
    },
  );
