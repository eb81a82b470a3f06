/**
 * The merchant fence, as a matrix: every row of support/security-routes.ts (the table the main
 * security matrix holds equal to the OpenAPI document, so a new route cannot be left out) × the
 * token of merchant A, who owns the line, its agents, a live call, a finished call with its
 * payment, a voicemail and a secure payment, and the token of merchant B, who owns none of them.
 * B gets 404 on every id of A's (403 where the route is not a merchant's business), lists that
 * show B nothing of A's; A's own token gets what its row says, so a refusal is told apart from a
 * missing resource. Then A's own view: its lists hold its records and nothing of anyone else's.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../src/db/client";
import { securePayments } from "../../src/secure-payments/schema";
import { api, json } from "./api-helpers";
import { TestCall } from "./support/call";
import { createChargeableMerchant, createMerchant } from "./support/merchants";
import { db, seedLine } from "./support/seed";
import { ROUTE_RULES, type RouteRule } from "./support/security-routes";
import { useWireFakes } from "./support/wire-fakes";

useWireFakes();

async function merchantToken(merchantId: string): Promise<string> {
  const body = { name: `merchant ${merchantId}`, scopes: ["merchant"], merchant_id: merchantId };
  return (await json<{ token: string }>(await api("/api/v1/tokens", { method: "POST", body }), 201)).token;
}

/** Merchant A's world: a demo line with a live call on agent A, and records of a finished call. */
async function fixture() {
  const [a, b] = [await createChargeableMerchant("Fence A"), await createMerchant("Fence B")];
  const line = await seedLine("demo", {}, [{ name: "A" }, { name: "Spare" }]);
  const other = await seedLine("demo", {}, [{ name: "B's rep" }]);
  await db().update(schema.lines).set({ merchantId: a.id }).where(eq(schema.lines.id, line.id));
  await db().update(schema.lines).set({ merchantId: b.id }).where(eq(schema.lines.id, other.id));
  const [agent, spare] = [line.agents[0]!, line.agents[1]!];
  const call = new TestCall("+15551260001", line.number);
  const agentLeg = `v3:fence-agent-${call.sessionId.slice(5, 13)}`;
  await call.start();
  await call.answered();
  await call.gathered("1");
  await call.agentDialled(agentLeg, agent.id);
  await call.agentAnswered(agentLeg, agent.id);
  await call.bridged(call.callerLeg, "caller");

  const tag = crypto.randomUUID().slice(0, 8);
  const now = Date.now();
  const finishedCallId = `fence-finished-${tag}`;
  await db()
    .insert(schema.calls)
    .values({
      id: finishedCallId,
      lineId: line.id,
      product: "demo",
      callerNumber: "+15551260002",
      calledNumber: line.number,
      startedAt: now - 120_000,
      endedAt: now - 60_000,
      currency: "usd",
      status: "completed",
    });
  await db()
    .insert(schema.payments)
    .values({
      id: `pay_fence_${tag}`,
      callId: finishedCallId,
      providerPaymentId: `pi_fence_${tag}`,
      kind: "charge",
      amount: 500,
      currency: "usd",
      status: "succeeded",
      at: now - 60_000,
    });
  const voicemailId = `vm_fence_${tag}`;
  await db()
    .insert(schema.voicemails)
    .values({
      id: voicemailId,
      callId: `fence-vm-call-${tag}`,
      lineId: line.id,
      callerNumber: "+15551260003",
      recordingUrl: "https://example.com/vm.mp3",
      durationSec: 12,
      recordedAt: now - 30_000,
    });
  const paymentId = `sp_${call.sessionId}_1`;
  await db()
    .insert(securePayments)
    .values({
      id: paymentId,
      callId: call.sessionId,
      lineId: line.id,
      product: "demo",
      agentId: agent.id,
      item: "Fence",
      amount: 700,
      currency: "usd",
      status: "succeeded",
      stepsCompleted: 5,
      requestedBy: "agent",
      requestedAt: now - 20_000,
      finishedAt: now - 10_000,
    });
  const params: Record<string, string> = {
    lineId: line.id,
    agentId: agent.id,
    spareAgentId: spare.id,
    merchantId: a.id,
    callId: call.sessionId,
    finishedCallId,
    voicemailId,
    requestId: paymentId,
    paymentId,
    number: "+46812345678",
    seq: "1",
  };
  return {
    call,
    agentLeg,
    agentId: agent.id,
    params,
    otherLineId: other.id,
    tokens: { a: await merchantToken(a.id), b: await merchantToken(b.id) },
  };
}

function urlFor(key: string, rule: RouteRule, params: Record<string, string>): [string, string] {
  const [method, path] = key.split(" ") as [string, string];
  const fill = (name: string) => params[rule.use?.[name] ?? name] ?? "missing_id";
  const url = `/api${path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(fill(name)))}`;
  return [method, rule.query ? `${url}?${rule.query}` : url];
}

/** Status and body of one request; a WebSocket the API accepted is closed again. */
async function probe(method: string, url: string, token: string, rule: RouteRule) {
  const body = rule.body ?? (method === "GET" || method === "DELETE" ? undefined : {});
  const res = await api(url, { method, token, body, headers: { ...rule.headers } });
  if (res.webSocket) {
    res.webSocket.accept();
    res.webSocket.close(1000, "fence");
    return { status: res.status, text: "" };
  }
  return { status: res.status, text: res.status === 302 ? "" : await res.text() };
}

describe("merchant-scoped tokens", () => {
  it("every route × another merchant's token: 404 on an id, filtered lists, 403 off merchant business", async () => {
    const f = await fixture();
    const p = f.params;
    const ownIds = [p.lineId, p.merchantId, p.finishedCallId, p.voicemailId, p.callId].map(String);
    const ownIdsAt = (text: string) => ownIds.filter((id) => text.includes(id));
    const mismatches: string[] = [];
    for (const [key, rule] of Object.entries(ROUTE_RULES)) {
      const [method, url] = urlFor(key, rule, f.params);
      // The other merchant first: a write by the owner (a removed agent) must not be what refuses it.
      const other = await probe(method, url, f.tokens.b, rule);
      const own = await probe(method, url, f.tokens.a, rule);
      if (!rule.scopes.includes("merchant")) {
        if (other.status !== 403 || own.status !== 403)
          mismatches.push(`${key}: merchant tokens got ${other.status}/${own.status}, expected 403`);
      } else if (!rule.merchants) {
        mismatches.push(`${key}: merchants may use it, but its row says nothing about whose it is`);
      } else if (rule.merchants === "filtered") {
        if (own.status !== 200 || other.status !== 200)
          mismatches.push(`${key}: list answered ${own.status} (owner) / ${other.status} (other)`);
        const leaked = ownIdsAt(other.text);
        if (leaked.length) mismatches.push(`${key}: another merchant's list shows ${leaked.join(", ")}`);
      } else {
        if (other.status !== rule.merchants.other)
          mismatches.push(`${key} · another merchant: ${other.status}, expected ${rule.merchants.other}`);
        if (own.status !== rule.merchants.own)
          mismatches.push(`${key} · own merchant: ${own.status}, expected ${rule.merchants.own}`);
        // An owner's 404 must come from past the fence, not be the stranger's refusal.
        if (own.status === 404 && own.text === other.text)
          mismatches.push(`${key} · own merchant was refused like another merchant`);
        const leaked = ownIdsAt(other.text).filter((id) => !url.includes(encodeURIComponent(id)));
        if (leaked.length) mismatches.push(`${key}: another merchant's answer shows ${leaked.join(", ")}`);
      }
    }
    expect(mismatches).toEqual([]);
    await f.call.hangup(f.call.callerLeg, "caller");
    await f.call.hangup(f.agentLeg, `agent:${f.agentId}`);
  });

  it("a merchant's token sees its own line, calls, payments and statement, and lists only its own", async () => {
    const f = await fixture();
    const token = f.tokens.a;
    const lines = await json<{ data: { id: string }[] }>(
      await api("/api/v1/lines?limit=100", { token }),
      200,
    );
    expect(lines.data.map((l) => l.id)).toEqual([f.params.lineId]);
    const calls = await json<{ data: { id: string }[] }>(
      await api("/api/v1/calls?limit=100", { token }),
      200,
    );
    expect(calls.data.map((c) => c.id)).toEqual([f.params.finishedCallId]);
    const csv = await (await api("/api/v1/calls.csv", { token })).text();
    expect(csv.trim().split("\n")).toHaveLength(2); // header + A's one call
    const pays = await json<{ data: { call_id: string }[] }>(await api("/api/v1/payments", { token }), 200);
    expect(pays.data.map((p) => p.call_id)).toEqual([f.params.finishedCallId]);
    const secure = await json<{ data: { id: string }[] }>(
      await api("/api/v1/secure-payments", { token }),
      200,
    );
    expect(secure.data.map((p) => p.id)).toEqual([f.params.paymentId]);
    const merchants = await json<{ data: { id: string }[] }>(await api("/api/v1/merchants", { token }), 200);
    expect(merchants.data.map((m) => m.id)).toEqual([f.params.merchantId]);
    const today = new Date().toISOString().slice(0, 10);
    const statement = await api(`/api/v1/merchants/${f.params.merchantId}/statement?date=${today}`, {
      token,
    });
    expect(statement.status).toBe(200);
    expect((await api(`/api/v1/lines/${f.otherLineId}`, { token })).status).toBe(404);

    // Admins see all, and may narrow the lines to one merchant.
    const all = await json<{ data: { id: string }[] }>(await api("/api/v1/lines?limit=100"), 200);
    expect(all.data.map((l) => l.id)).toEqual(expect.arrayContaining([f.params.lineId, f.otherLineId]));
    const ofA = await json<{ data: { id: string }[] }>(
      await api(`/api/v1/lines?merchant_id=${f.params.merchantId}`),
      200,
    );
    expect(ofA.data.map((l) => l.id)).toEqual([f.params.lineId]);

    // A merchant cannot give its line away, nor mint tokens.
    const move = await api(`/api/v1/lines/${f.params.lineId}`, {
      method: "PATCH",
      token,
      body: { merchant_id: null },
    });
    expect(move.status, await move.text()).toBe(403);
    const mint = await api("/api/v1/tokens", {
      method: "POST",
      token,
      body: { name: "x", scopes: ["admin"] },
    });
    expect(mint.status).toBe(403);
    await f.call.hangup(f.call.callerLeg, "caller");
    await f.call.hangup(f.agentLeg, `agent:${f.agentId}`);
  });

  it("a merchant token names an existing merchant and stands alone", async () => {
    const bad = [
      { name: "x", scopes: ["merchant"] },
      { name: "x", scopes: ["merchant", "admin"], merchant_id: "mer_x" },
      { name: "x", scopes: ["readonly"], merchant_id: "mer_x" },
      { name: "x", scopes: ["merchant"], merchant_id: "mer_does_not_exist" },
    ];
    for (const body of bad) expect((await api("/api/v1/tokens", { method: "POST", body })).status).toBe(422);
  });
});
