/**
 * The engine's reach beyond webhooks, in workerd: actions from the API with idempotency keys, the
 * live WebSocket view (never digits), dead letters that never hold a call up, Telnyx's word on when
 * a call ended (a 90018 on the cutoff), Telnyx's call cost, and sessions stored by an older version.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { STATE_SCHEMA_VERSION } from "../../durable-objects/call-store";
import { api, expectProblem, json } from "./api-helpers";
import { TestCall } from "./support/call";
import { agentRole, card, CARDS, keyInFields, talkingCall } from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { cardDataIn } from "./support/advice-scan";
import { callRecord, db, seedLine } from "./support/seed";
import { envelope, postWebhook } from "./support/telnyx";
import { notebook } from "./support/skeleton/skeleton-product";
import { useWireFakes } from "./support/wire-fakes";
import { schema } from "../../src/db/client";
import { eq } from "drizzle-orm";

const { telnyx } = useWireFakes();
const AGENT_LEG = "v3:live-agent-leg";

async function demoTalking(from: string) {
  const line = await seedLine("demo", {});
  const agent = line.agents[0]!;
  const call = new TestCall(from, line.number);
  await call.start();
  await call.answered();
  await call.gathered("1");
  await call.agentDialled(AGENT_LEG, agent.id);
  await call.agentAnswered(AGENT_LEG, agent.id);
  await call.bridged(call.callerLeg, "caller");
  return { line, agent, call };
}

/** Opens the call's live stream through the real API route and collects every frame it pushes. */
async function subscribe(callId: string) {
  const res = await api(`/api/v1/calls/${callId}/live/stream`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const frames: Record<string, unknown>[] = [];
  const raw: string[] = [];
  ws.addEventListener("message", (m) => {
    raw.push(String(m.data));
    if (m.data !== "pong") frames.push(JSON.parse(String(m.data)) as Record<string, unknown>);
  });
  ws.accept();
  return { ws, frames, raw };
}

describe("actions from outside the call", () => {
  it("ending a call with the same Idempotency-Key twice hangs up once; the key with another request is refused", async () => {
    const { call, agent } = await demoTalking("+15551240001");
    const end = () =>
      api(`/api/v1/calls/${call.sessionId}/end`, { method: "POST", headers: { "idempotency-key": "end-1" } });
    expect(await json(await end(), 202)).toEqual({ hanging_up: 2 });
    await call.stub.idle();
    expect(await json(await end(), 202)).toEqual({ hanging_up: 2 });
    await call.stub.idle();
    expect(
      telnyx
        .ofAction("hangup")
        .map((c) => c.leg)
        .sort(),
    ).toEqual([AGENT_LEG, call.callerLeg].sort());
    await call.hangup(call.callerLeg, "caller");
    await call.hangup(AGENT_LEG, agentRole(agent.id));
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "completed" });
    // After the end, a new key gets a clear refusal.
    const late = await api(`/api/v1/calls/${call.sessionId}/end`, {
      method: "POST",
      headers: { "idempotency-key": "end-2" },
    });
    expect((await expectProblem(late, 409)).detail).toMatch(/already ended/);
  });

  it("an action needs an Idempotency-Key, and a call that is not live is a 404", async () => {
    const { call } = await demoTalking("+15551240002");
    await expectProblem(await api(`/api/v1/calls/${call.sessionId}/end`, { method: "POST" }), 422);
    await expectProblem(
      await api(`/api/v1/calls/no-such-call/end`, { method: "POST", headers: { "idempotency-key": "x" } }),
      404,
    );
    await expectProblem(await api(`/api/v1/calls/no-such-call/live`), 404);
  });
});

describe("the agent ↔ call index", () => {
  async function agentToken(agentId: string): Promise<string> {
    const created = await json<{ token: string; agent_id: string }>(
      await api("/api/v1/tokens", {
        method: "POST",
        body: { name: `agent ${agentId}`, scopes: ["agent"], agent_id: agentId },
      }),
      201,
    );
    expect(created.agent_id).toBe(agentId);
    return created.token;
  }

  it("an agent's token finds the call that agent is on, and nobody else's", async () => {
    const line = await seedLine("demo", {}, [{ name: "Ann" }, { name: "Bo" }]);
    const [ann, bo] = [line.agents[0]!, line.agents[1]!];
    const call = new TestCall("+15551240050", line.number);
    await call.start();
    await call.answered();
    await call.gathered("1");
    await call.agentDialled(AGENT_LEG, ann.id);
    await call.agentAnswered(AGENT_LEG, ann.id);
    await call.bridged(call.callerLeg, "caller");
    const [annToken, boToken] = [await agentToken(ann.id), await agentToken(bo.id)];

    expect(await json(await api("/api/v1/agents/me/call", { token: annToken }), 200)).toMatchObject({
      call_id: call.sessionId,
      agent_id: ann.id,
      line_id: line.id,
    });
    await expectProblem(await api("/api/v1/agents/me/call", { token: boToken }), 404);
    // Another agent's token learns nothing about this call, not even that it exists.
    await expectProblem(await api(`/api/v1/calls/${call.sessionId}/live`, { token: boToken }), 404);
    expect(
      await json(await api(`/api/v1/calls/${call.sessionId}/live`, { token: annToken }), 200),
    ).toMatchObject({
      agent_id: ann.id,
    });
    // Agents act only on their own call; ending a call stays an admin's.
    const notYours = await call.stub.act({
      key: "k-bo",
      action: "say",
      params: {},
      by: { kind: "agent", agentId: bo.id },
    });
    expect(notYours).toMatchObject({ ok: false, status: 403 });
    await expectProblem(
      await api(`/api/v1/calls/${call.sessionId}/end`, {
        method: "POST",
        token: annToken,
        headers: { "idempotency-key": "a1" },
      }),
      403,
    );
    // A token with scope agent must name its agent.
    const missing = await api("/api/v1/tokens", { method: "POST", body: { name: "x", scopes: ["agent"] } });
    expect((await expectProblem(missing, 422)).errors).toEqual([
      expect.objectContaining({ field: "agent_id" }),
    ]);
  });
});

describe("the live view", () => {
  it("a WebSocket subscriber gets the current frame first, then each phase as it changes, and never a digit", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15551240100", line.number);
    await call.start();
    const live = await subscribe(call.sessionId);
    await vi.waitFor(() => expect(live.frames.length).toBeGreaterThanOrEqual(1));
    expect(live.frames[0]).toMatchObject({
      call: call.sessionId,
      phase: "answering",
      caller: "***0100",
      ended: false,
    });
    await call.answered();
    await call.speakEnded();
    await call.gathered("1");
    const entry = card(CARDS.visa);
    await keyInFields(call, { ...entry, expiry: "0931", street: "7351", zip: "60614" });
    await call.gathered(entry.cvc);
    await vi.waitFor(() =>
      expect(live.frames.some((f) => f.phase === "reserving" || f.phase === "connecting")).toBe(true),
    );
    const phases = live.frames.map((f) => f.phase);
    expect(phases).toEqual(expect.arrayContaining(["answering", "welcome", "terms", "card"]));
    // The card field being entered is shown; what was keyed never is.
    expect(live.frames.filter((f) => f.phase === "card").map((f) => f.step)).toEqual(
      expect.arrayContaining(["number", "expiry", "street", "zip", "cvc"]),
    );
    const secrets = [
      { label: "pan", digits: CARDS.visa, kind: "pan" as const },
      { label: "cvc", digits: entry.cvc, kind: "cvc" as const },
      { label: "expiry", digits: "0931", kind: "expiry" as const },
      { label: "street", digits: "7351", kind: "cvc" as const },
      { label: "zip", digits: "60614", kind: "cvc" as const },
    ];
    expect(cardDataIn(live.raw.join("\n"), secrets)).toEqual([]);
    live.ws.send("ping");
    await vi.waitFor(() => expect(live.raw).toContain("pong"));
    // A late subscriber starts from where the call is now.
    const late = await subscribe(call.sessionId);
    await vi.waitFor(() => expect(late.frames.length).toBe(1));
    expect(late.frames[0]!.phase).toBe(live.frames.at(-1)!.phase);
    live.ws.close();
    late.ws.close();
    await call.hangup(call.callerLeg, "caller");
  });

  it("GET …/live answers the same frame as JSON; the stream refuses a plain request", async () => {
    const { call, agent } = await demoTalking("+15551240101");
    const frame = await json<Record<string, unknown>>(await api(`/api/v1/calls/${call.sessionId}/live`), 200);
    expect(frame).toMatchObject({ phase: "talking", agent_id: agent.id, caller: "***0101" });
    expect(frame.talk).toMatchObject({ limit_at: null, paused: false });
    await expectProblem(await api(`/api/v1/calls/${call.sessionId}/live/stream`), 426);
  });
});

describe("when the call ended, by Telnyx's word", () => {
  it("both hang-ups lost and the cutoff's hang-up answers 90018: Telnyx says when it ended, billed to that", async () => {
    // 1.00 a minute with a 3.00 hold: the cutoff at 3 minutes.
    const { call, talkFrom, leg } = await talkingCall({
      ...PER_MINUTE,
      ratePerMinute: 100,
      preauthAmount: 300,
    });
    // The caller and the rep both hung up after 70 s; neither webhook arrived.
    telnyx.endedLegs.set(call.callerLeg, talkFrom + 70_000);
    telnyx.endedLegs.set(leg, talkFrom + 70_500);
    telnyx.failNext("hangup", 422, "90018", 2);
    for (let alarm = 0; alarm < 12 && !(await callRecord(call.sessionId)); alarm++) {
      await runDurableObjectAlarm(call.stub);
      await call.stub.idle();
    }
    console.log("DEBUG", JSON.stringify(telnyx.attempts), JSON.stringify(telnyx.statusChecks));
    expect(telnyx.statusChecks.sort()).toEqual([call.callerLeg, leg].sort());
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      billableSeconds: 120,
      amount: 200,
      endedAt: talkFrom + 70_000,
    });
  });
});

describe("Telnyx's own cost of a call", () => {
  it("call.cost (after the end) is kept per leg beside our rating; a redelivery changes nothing", async () => {
    const sessionId = `sess-${crypto.randomUUID()}`;
    const cost = envelope("call.cost", {
      call_control_id: "v3:cost-leg",
      call_leg_id: "leg-cost-1",
      call_session_id: sessionId,
      total_cost: "0.0106",
      billed_duration_secs: 120,
      status: "success",
      cost_parts: [{ call_part: "call-control", cost: "0.0106", currency: "USD", rate: "0.0053" }],
    });
    for (let i = 0; i < 2; i++)
      expect(await (await postWebhook(cost)).json()).toMatchObject({ result: "cost_recorded" });
    const rows = await db().select().from(schema.callCosts).where(eq(schema.callCosts.callId, sessionId));
    expect(rows).toEqual([
      expect.objectContaining({ legId: "leg-cost-1", totalMicros: 10_600, currency: "USD", billedSec: 120 }),
    ]);
  });
});

describe("a product the engine does not know, added as a folder and one registry line", () => {
  async function skeletonCall(from: string) {
    const line = await seedLine("skeleton", {}, []);
    const call = new TestCall(from, line.number);
    await call.start();
    await call.answered();
    return call;
  }

  it("its own command runs through its own capability, and its own result event reaches its flow", async () => {
    notebook.failNext = 0;
    const call = await skeletonCall("+15551240200");
    expect(notebook.notes).toContain("caller answered");
    expect((await call.stub.liveView())?.detail).toEqual({ notes: 1 });
    expect(telnyx.ofAction("gather_using_speak")).toHaveLength(1);
    await call.hangup(call.callerLeg, "caller");
  });

  it("its action asked twice with the same key is applied once; a different request under that key is refused", async () => {
    const call = await skeletonCall("+15551240201");
    const by = { kind: "admin" as const, agentId: null };
    const say = () => call.stub.act({ key: "say-1", action: "say", params: { text: "Hello there" }, by });
    expect(await say()).toEqual({ ok: true, result: { said: "Hello there" } });
    expect(await say()).toEqual({ ok: true, result: { said: "Hello there" } });
    await call.stub.idle();
    expect(telnyx.ofAction("speak").map((c) => c.body.payload)).toEqual(["Hello there"]);
    const other = await call.stub.act({ key: "say-1", action: "say", params: { text: "Bye" }, by });
    expect(other).toMatchObject({ ok: false, status: 422 });
    // An action the flow has no row for is refused in words, never silently dropped.
    expect(await call.stub.act({ key: "k2", action: "dance", params: {}, by })).toMatchObject({
      ok: false,
      status: 409,
    });
    await call.hangup(call.callerLeg, "caller");
  });

  it("a command that keeps failing is dead-lettered without holding the caller's prompt, listed, and retried", async () => {
    notebook.failNext = 1_000;
    const call = await skeletonCall("+15551240202");
    // The prompt went out at once, in its own lane, while the note failed.
    expect(telnyx.ofAction("gather_using_speak")).toHaveLength(1);
    for (let alarm = 0; alarm < 12 && ((await call.stub.inspect())?.deadLetters.length ?? 0) === 0; alarm++) {
      await runDurableObjectAlarm(call.stub);
      await call.stub.idle();
    }
    const snapshot = (await call.stub.inspect())!;
    expect(snapshot.deadLetters).toEqual([expect.objectContaining({ command: "take_note" })]);
    expect(snapshot.outbox).toBe(0);
    await runDurableObjectAlarm(call.stub); // reported to the list the API reads
    const listed = await json<{ data: { call_id: string; command_id: string; command: string }[] }>(
      await api("/api/v1/dead-letters"),
      200,
    );
    const mine = listed.data.find((d) => d.call_id === call.sessionId);
    expect(mine).toMatchObject({ command: "take_note" });

    notebook.failNext = 0;
    const retry = await api(
      `/api/v1/calls/${call.sessionId}/dead-letters/${encodeURIComponent(mine!.command_id)}/retry`,
      { method: "POST" },
    );
    expect(retry.status).toBe(202);
    await call.stub.idle();
    expect((await call.stub.liveView())?.detail).toEqual({ notes: 1 });
    expect((await call.stub.inspect())?.deadLetters).toEqual([]);
    await call.hangup(call.callerLeg, "caller");
  });
});

describe("a session stored by an older version", () => {
  it("a schema-1 session whose state the flow cannot read is abandoned safely: legs hung up, a failed record", async () => {
    const { call } = await demoTalking("+15551240300");
    await runInDurableObject(call.stub, (_instance, state) => {
      const row = state.storage.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'session'").one();
      const meta = JSON.parse(row.v) as Record<string, unknown>;
      // As the first version of the shell stored it: no flowVersion, and the old demo state shape.
      delete meta.flowVersion;
      meta.schema = 1;
      meta.state = { phase: "talking", caller: { from: call.from }, agent: { id: "a", leg: AGENT_LEG } };
      state.storage.sql.exec("UPDATE meta SET v = ? WHERE k = 'session'", JSON.stringify(meta));
    });
    expect(STATE_SCHEMA_VERSION).toBe(2);
    const res = await call.hangup(call.callerLeg, "caller");
    expect(await res.res.json()).toMatchObject({ result: "ended" });
    await call.stub.idle();
    expect(
      telnyx
        .ofAction("hangup")
        .map((c) => c.leg)
        .sort(),
    ).toEqual([AGENT_LEG, call.callerLeg].sort());
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "failed",
      hangupCause: "unreadable_state",
    });
  });
});
