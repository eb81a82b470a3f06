/**
 * A demo call talking to its agent, driven through the real webhook route, and the caller's side
 * of a secure payment: Telnyx reporting the agent's leg in its private queue, then the keys for
 * the amount and each card field (each confirmed with 1), Stripe's stand-in charging the card, the
 * result spoken and the legs bridged again. Test cards only.
 */
import { expect, vi } from "vitest";
import { api, json } from "../api-helpers";
import { TestCall } from "./call";
import { agentRole } from "./advice-call";
import { eq } from "drizzle-orm";
import { schema } from "../../../src/db/client";
import { db, seedLine } from "./seed";

export const PAY_CARD = { number: "4242424242424242", expiry: "1230", cvc: "123", zip: "94107" } as const;
export const DECLINED_CARD = { ...PAY_CARD, number: "4000000000000002" } as const;
export type PayCard = { number: string; expiry: string; cvc: string; zip: string };

export interface AgentCall {
  call: TestCall;
  agentId: string;
  agentLeg: string;
  lineId: string;
  token: string;
}

export async function agentToken(agentId: string): Promise<string> {
  const created = await json<{ token: string }>(
    await api("/api/v1/tokens", {
      method: "POST",
      body: { name: `agent ${agentId}`, scopes: ["agent"], agent_id: agentId },
    }),
    201,
  );
  return created.token;
}

/**
 * A demo call whose caller is bridged to the line's first agent, and that agent's token; with
 * `merchantId`, the line is that merchant's before the call starts.
 */
export async function agentCall(
  from: string,
  config: Record<string, unknown> = {},
  agents: { name?: string }[] = [{ name: "Anna" }],
  merchantId?: string,
): Promise<AgentCall & { otherAgents: string[] }> {
  const line = await seedLine("demo", config, agents);
  if (merchantId) await db().update(schema.lines).set({ merchantId }).where(eq(schema.lines.id, line.id));
  const agentId = line.agents[0]!.id;
  const call = new TestCall(from, line.number);
  const agentLeg = `v3:sp-agent-${call.sessionId.slice(5, 17)}`;
  await call.start();
  await call.answered();
  await call.gathered("1");
  await call.agentDialled(agentLeg, agentId);
  await call.agentAnswered(agentLeg, agentId);
  await call.bridged(call.callerLeg, "caller");
  return {
    call,
    agentId,
    agentLeg,
    lineId: line.id,
    token: await agentToken(agentId),
    otherAgents: line.agents.slice(1).map((a) => a.id),
  };
}

export const REQUEST = { item: "Annual plan", amount: 1250, currency: "usd" } as const;

export function requestPayment(
  c: Pick<AgentCall, "call" | "token">,
  body: unknown = REQUEST,
  key = "req-1",
  token: string | null = c.token,
): Promise<Response> {
  return api(`/api/v1/calls/${c.call.sessionId}/payment-requests`, {
    method: "POST",
    token,
    body,
    headers: { "idempotency-key": key },
  });
}

/** Telnyx reports the agent's leg in the payment's private queue (as call.enqueued). */
export function agentIsolated(c: AgentCall, queue: string) {
  return c.call.send("call.enqueued", c.agentLeg, agentRole(c.agentId), { queue, current_position: 1 });
}

/** Asked for, isolated, and the amount confirmed with 1: returns the request's id. */
export async function toCard(c: AgentCall, key = "req-1"): Promise<string> {
  const created = await json<{ id: string }>(await requestPayment(c, REQUEST, key), 201);
  await agentIsolated(c, created.id);
  c.call.advance(6_000);
  await c.call.gathered("1");
  return created.id;
}

/** Keys each card field and confirms it with 1 (the card then goes to Stripe). */
/** Returns the webhook of the last confirm (the one that sends the card to Stripe). */
export async function keyCard(c: AgentCall, card: PayCard = PAY_CARD, each?: () => Promise<void>) {
  let last: unknown = null;
  for (const digits of [card.number, card.expiry, card.cvc, card.zip]) {
    c.call.advance(4_000);
    await c.call.gathered(digits);
    await each?.();
    last = (await c.call.gathered("1")).body;
  }
  return last;
}

/** The result was spoken and Telnyx bridged the legs again. */
export async function backToAgent(c: AgentCall) {
  await c.call.speakEnded();
  await c.call.bridged(c.call.callerLeg, "caller");
}

export async function paymentOf(c: Pick<AgentCall, "call">, id: string, token?: string) {
  return json<Record<string, unknown>>(
    await api(`/api/v1/calls/${c.call.sessionId}/payment-requests/${id}`, token ? { token } : {}),
    200,
  );
}

/** Waits until the request's record is written to Turso (the call's effects run after its reply). */
export async function recorded(c: AgentCall, id: string) {
  // vi.waitFor, not expect.poll: it also runs in a beforeAll (the card-data scan's).
  return vi.waitFor(
    async () => {
      await c.call.stub.idle();
      const last = await paymentOf(c, id);
      expect(last.recorded).toBe(true);
      return last;
    },
    { timeout: 10_000, interval: 50 },
  );
}
