/**
 * /v1/calls/{callId}/live…: a call while it lasts, reached through its CallSession: its public
 * view, a WebSocket that pushes every change (hibernatable, authorised here), and ending it
 * (admin). Every action carries the client's Idempotency-Key, so a retried request is applied
 * once. Agent tokens reach only the call their agent is on. Products' own action routes use actOn.
 */
import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { hasScope, LIVE_PROTOCOL, MERCHANT_READ_SCOPES, seesEveryAgent, scoped } from "../../api/auth";
import { createApiRouter, dbOf, type ApiEnv, type Principal } from "../../api/context";
import { ProblemError, problemResponses, validationProblem } from "../../api/problem";
import { idParam, jsonContent as json, toIsoOrNull } from "../../api/schemas";
import { agents } from "../../db/schema";
import { eq } from "drizzle-orm";
import type { ActionPrincipal, ActionReply } from "../../ivr/types";
import type { LiveFrame } from "../../../durable-objects/live-view";

const CallParams = z.object({ callId: idParam("callId", "428c31b6-7af4-4bcb-b7f5-5013ef9657c1") });

export const IdempotencyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, "must be printable ASCII without spaces")
    .openapi({
      description: "Your key for this request: a retry with the same key is applied once",
      example: "3f7c1e52-req-1",
    }),
});

const LiveFrameSchema = z
  .object({
    call: z.string(),
    line: z.object({ id: z.string(), name: z.string(), product: z.string() }),
    caller: z
      .string()
      .openapi({ description: "The caller's number, masked to its last 4", example: "***4567" }),
    version: z.number().int(),
    phase: z.string(),
    step: z.string().nullable(),
    agent_id: z.string().nullable(),
    talk: z
      .object({
        started_at: z.string(),
        limit_at: z.string().nullable(),
        paused: z.boolean(),
        seconds: z.number().int(),
      })
      .nullable(),
    detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
    ended: z.boolean(),
    at: z.string(),
  })
  .openapi("LiveCall");

/** What a flow may check about who asks: admins act on any call, agents on their own. */
export function actionPrincipal(principal: Principal): ActionPrincipal {
  return hasScope(principal, "admin")
    ? { kind: "admin", agentId: null }
    : { kind: "agent", agentId: principal.agentId ?? null };
}

const callOf = (c: Context<ApiEnv>, callId: string) => c.env.CALL_SESSION.getByName(callId);

/** The live frame, or 404 when the call is not live (or, for an agent, not theirs: ids do not leak). */
async function viewFor(c: Context<ApiEnv>, callId: string): Promise<LiveFrame> {
  const frame = (await callOf(c, callId).liveView()) as LiveFrame | null;
  const principal = c.get("principal");
  const mine = seesEveryAgent(principal) || (frame && principal.agentId === frame.agentId);
  if (!frame || !mine) throw new ProblemError(404, "Not Found", `No live call ${callId}.`);
  return frame;
}

/** Delivers an action into a live call; the flow's refusal becomes problem JSON. */
export async function actOn(
  c: Context<ApiEnv>,
  callId: string,
  action: string,
  params: Record<string, unknown>,
  key: string,
): Promise<Record<string, unknown>> {
  const reply = (await callOf(c, callId).act({
    key,
    action,
    params,
    by: actionPrincipal(c.get("principal")),
  })) as ActionReply;
  if (reply.ok) return reply.result;
  // A refusal about the request's own fields is a validation problem naming them, like zod's.
  if (reply.errors?.length) throw validationProblem(reply.errors, reply.detail);
  throw new ProblemError(reply.status, reply.title, reply.detail);
}

const tag = ["Live calls"];

const MyCallSchema = z
  .object({
    call_id: z.string(),
    agent_id: z.string(),
    line_id: z.string(),
    connected_at: z
      .string()
      .nullable()
      .openapi({ description: "When the agent started talking (null while it rings)" }),
  })
  .openapi("AgentCall");

/** The call an agent is on, from their line's LineSession (the agent ↔ call index). */
async function callOfAgent(c: Context<ApiEnv>, agentId: string) {
  const [agent] = await dbOf(c)
    .select({ lineId: agents.lineId })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (!agent) return null;
  const held = await c.env.LINE_SESSION.getByName(agent.lineId).callOfAgent(agentId);
  return held
    ? {
        call_id: held.callSessionId,
        agent_id: agentId,
        line_id: agent.lineId,
        connected_at: toIsoOrNull(held.connectedAt),
      }
    : null;
}

export const liveCallsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/agents/me/call",
      tags: tag,
      summary: "The call the signed-in agent is on (agent tokens), or 404 when they are free",
      ...scoped("agent"),
      responses: {
        200: { description: "The agent's call", content: json(MyCallSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const agentId = c.get("principal").agentId;
      if (!agentId) throw new ProblemError(403, "Forbidden", "This token belongs to no agent.");
      const call = await callOfAgent(c, agentId);
      if (!call) throw new ProblemError(404, "Not Found", "You are on no call right now.");
      return c.json(call, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/calls/{callId}/live",
      tags: tag,
      summary: "A live call as it is now (phase, step, talk clock, agent); never digits",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: CallParams },
      responses: {
        200: { description: "The live call", content: json(LiveFrameSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const f = await viewFor(c, c.req.valid("param").callId);
      return c.json(
        {
          call: f.call,
          line: f.line,
          caller: f.caller,
          version: f.version,
          phase: f.phase,
          step: f.step,
          agent_id: f.agentId,
          talk: f.talk && {
            started_at: f.talk.startedAt,
            limit_at: f.talk.limitAt,
            paused: f.talk.paused,
            seconds: f.talk.seconds,
          },
          detail: f.detail ?? null,
          ended: f.ended,
          at: f.at,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/calls/{callId}/live/stream",
      tags: tag,
      summary: "Follow a live call over a WebSocket: the current frame first, then every change",
      description:
        "Send `Upgrade: websocket`. Each message is a LiveCall frame as JSON (camelCase); `ping` is answered `pong`. A browser, which cannot set headers, offers the subprotocols `meterline.live` and `meterline.bearer.<token>` instead of the Authorization header; the answer picks `meterline.live`.",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: CallParams },
      responses: {
        101: { description: "Switching to the WebSocket" },
        ...problemResponses(401, 403, 404, 426),
      },
    }),
    async (c) => {
      const { callId } = c.req.valid("param");
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket")
        throw new ProblemError(426, "Upgrade Required", "Open this URL as a WebSocket (Upgrade: websocket).");
      await viewFor(c, callId);
      const principal = c.get("principal");
      const headers = new Headers(c.req.raw.headers);
      headers.set("x-meterline-viewer", principal.tokenId ?? "bootstrap");
      headers.delete("authorization");
      // The token never goes on: the call's object only learns which subprotocol to answer with.
      const offered =
        c.req
          .header("sec-websocket-protocol")
          ?.split(",")
          .map((p) => p.trim()) ?? [];
      if (offered.includes(LIVE_PROTOCOL)) headers.set("sec-websocket-protocol", LIVE_PROTOCOL);
      else headers.delete("sec-websocket-protocol");
      return callOf(c, callId).fetch(new Request(c.req.raw.url, { headers }));
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/calls/{callId}/end",
      tags: tag,
      summary: "End a live call: every leg is hung up, and the call settles as for any hang-up",
      ...scoped("admin"),
      request: { params: CallParams, headers: IdempotencyHeaders },
      responses: {
        202: { description: "Hanging up", content: json(z.object({ hanging_up: z.number().int() })) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { callId } = c.req.valid("param");
      const key = c.req.valid("header")["idempotency-key"];
      const result = await actOn(c, callId, "end_call", {}, key);
      return c.json({ hanging_up: Number(result.hanging_up ?? 0) }, 202);
    },
  );
