/**
 * The call engine end to end in workerd: real route, real signatures, real CallSession and
 * LineSession, real migrations on the local libSQL server; only Telnyx's API is a fake.
 * Covers the demo flow, duplicate/late/out-of-order webhooks, command retries and alarms.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TestCall } from "./support/call";
import { callRecord, callTimeline, seedLine, type SeededLine } from "./support/seed";
import { FakeTelnyx } from "./support/telnyx";

let telnyx: FakeTelnyx;
let line: SeededLine;
beforeEach(async () => {
  telnyx = new FakeTelnyx();
  telnyx.install();
  line = await seedLine("demo", {});
});
afterEach(() => vi.restoreAllMocks());

const AGENT_LEG = "v3:agent-leg-1";

/** Walks the demo flow to the point where the caller and the agent talk. */
async function connect(call: TestCall, agentId = line.agents[0]!.id) {
  await call.start();
  await call.answered();
  await call.gathered("1");
  call.advance(3_000);
  await call.agentDialled(AGENT_LEG, agentId);
  call.advance(4_000);
  await call.agentAnswered(AGENT_LEG, agentId);
  await call.bridged(call.callerLeg, "caller");
  await call.bridged(AGENT_LEG, `agent:${agentId}`);
}

describe("demo flow through the engine", () => {
  it("answers, offers the menu, dials the best rep on 1, bridges, and records the talk time", async () => {
    const call = new TestCall("+15551230001", line.number);
    await call.start();
    expect(telnyx.actions()).toEqual(["answer"]);
    await call.answered();
    const gather = telnyx.ofAction("gather_using_speak")[0]!;
    expect(gather.body.payload).toMatch(/Press 1 to talk to an agent/);
    await call.gathered("1");
    const dial = telnyx.ofAction("dial")[0]!;
    expect(dial.body).toMatchObject({
      to: line.agents[0]!.destination,
      link_to: call.callerLeg,
      connection_id: "conn-test",
    });
    call.advance(3_000);
    await call.agentDialled(AGENT_LEG, line.agents[0]!.id);
    call.advance(4_000);
    const answeredAt = call.now();
    await call.agentAnswered(AGENT_LEG, line.agents[0]!.id);
    expect(telnyx.ofAction("bridge")[0]).toMatchObject({
      leg: call.callerLeg,
      body: { call_control_id: AGENT_LEG },
    });
    await call.bridged(call.callerLeg, "caller");
    call.advance(95_000);
    await call.hangup(call.callerLeg, "caller");
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([AGENT_LEG]);
    // Telnyx reports the agent's leg ended after our hang-up: the call settles, at the earlier end.
    call.advance(700);
    await call.hangup(AGENT_LEG, `agent:${line.agents[0]!.id}`);

    const record = await callRecord(call.sessionId);
    expect(record).toMatchObject({
      status: "completed",
      lineId: line.id,
      agentId: line.agents[0]!.id,
      amount: 0,
    });
    expect(record?.talkStartedAt).toBe(answeredAt);
    expect(record?.billableSeconds).toBe(95);
    expect((await callTimeline(call.sessionId)).length).toBeGreaterThan(5);
  });

  it("every command carries a deterministic <session>:<version>:<index> command_id", async () => {
    const call = new TestCall("+15551230002", line.number);
    await connect(call);
    for (const c of telnyx.sent)
      expect(String(c.body.command_id)).toMatch(new RegExp(`^${call.sessionId}:\\d+:\\d+$`));
    expect(new Set(telnyx.sent.map((c) => c.body.command_id)).size).toBe(telnyx.sent.length);
  });

  it("with every rep offline the caller hears that no agent is free and is hung up", async () => {
    const offline = await seedLine("demo", {}, [{ status: "offline" }]);
    const call = new TestCall("+15551230003", offline.number);
    await call.start();
    await call.answered();
    await call.gathered("1");
    expect(telnyx.ofAction("speak").at(-1)?.body.payload).toMatch(/no agent is free/);
    await call.speakEnded();
    expect(telnyx.actions().at(-1)).toBe("hangup");
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "no_agent" });
  });

  it("a busy rep is not offered a second call at the same time", async () => {
    const first = new TestCall("+15551230004", line.number);
    await connect(first);
    const second = new TestCall("+15551230005", line.number);
    await second.start();
    await second.answered();
    await second.gathered("1");
    expect(telnyx.ofAction("dial")).toHaveLength(1);
    expect(telnyx.ofAction("speak").at(-1)?.body.payload).toMatch(/no agent is free/);
  });
});

describe("webhooks twice, late and out of order", () => {
  it("every event delivered twice produces no second command", async () => {
    const call = new TestCall("+15551230010", line.number);
    const sends = [
      () => call.start(),
      () => call.answered(),
      () => call.gathered("1"),
      () => call.agentDialled(AGENT_LEG, line.agents[0]!.id),
      () => call.agentAnswered(AGENT_LEG, line.agents[0]!.id),
      () => call.bridged(call.callerLeg, "caller"),
      () => call.hangup(call.callerLeg, "caller"),
      () => call.hangup(AGENT_LEG, `agent:${line.agents[0]!.id}`),
    ];
    for (const send of sends) {
      const { body } = await send();
      const before = telnyx.sent.length;
      const { postWebhook } = await import("./support/telnyx");
      const again = await postWebhook(body);
      expect(await again.json()).toMatchObject({ result: "duplicate" });
      await call.stub.idle();
      expect(telnyx.sent.length).toBe(before);
    }
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "completed" });
  });

  it("events after the call ended change nothing", async () => {
    const call = new TestCall("+15551230011", line.number);
    await connect(call);
    await call.hangup(call.callerLeg, "caller");
    await call.hangup(AGENT_LEG, `agent:${line.agents[0]!.id}`);
    const sent = telnyx.sent.length;
    const late = await call.speakEnded();
    expect(await late.res.json()).toMatchObject({ result: "ended" });
    await call.hangup(AGENT_LEG, `agent:${line.agents[0]!.id}`);
    await call.gathered("1");
    expect(telnyx.sent.length).toBe(sent);
  });

  it("a hang-up that arrives before the call's first event is held and applied after it", async () => {
    const call = new TestCall("+15551230012", line.number);
    const early = await call.hangup(call.callerLeg, "caller");
    expect(await early.res.json()).toMatchObject({ result: "held" });
    await call.start();
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "abandoned" });
  });

  it("bridged before the rep answered: talk time starts at the answer, never at the bridge", async () => {
    const call = new TestCall("+15551230013", line.number);
    await call.start();
    await call.answered();
    await call.gathered("1");
    await call.agentDialled(AGENT_LEG, line.agents[0]!.id);
    call.advance(1_000);
    await call.bridged(call.callerLeg, "caller");
    call.advance(9_000);
    const answeredAt = call.now();
    await call.agentAnswered(AGENT_LEG, line.agents[0]!.id);
    call.advance(30_000);
    await call.hangup(AGENT_LEG, `agent:${line.agents[0]!.id}`);
    await call.hangup(call.callerLeg, "caller");
    const record = await callRecord(call.sessionId);
    expect(record?.talkStartedAt).toBe(answeredAt);
    expect(record?.billableSeconds).toBe(30);
  });
});

describe("commands that fail at Telnyx", () => {
  it("a 503 is retried by the alarm with the same command_id, once", async () => {
    telnyx.failNext("answer", 503, "10001");
    const call = new TestCall("+15551230020", line.number);
    await call.start();
    expect(telnyx.sent).toHaveLength(0);
    expect(await runDurableObjectAlarm(call.stub)).toBe(true);
    await call.stub.idle();
    const answers = telnyx.attempts.filter((a) => a.action === "answer");
    expect(answers.map((a) => a.status)).toEqual([503, 200]);
    expect(answers[0]!.commandId).toBe(answers[1]!.commandId);
    expect(telnyx.ofAction("answer")).toHaveLength(1);
  });

  it("422 90018 (call already ended) is final: no retry, and later commands still go", async () => {
    telnyx.failNext("answer", 422, "90018");
    const call = new TestCall("+15551230021", line.number);
    await call.start();
    expect((await call.stub.inspect())?.outbox).toBe(0);
    await runDurableObjectAlarm(call.stub);
    expect(telnyx.attempts.filter((a) => a.action === "answer")).toHaveLength(1);
  });
});

describe("alarms", () => {
  it("a goodbye whose speech never ends is finished by the timer: hang up and record", async () => {
    const offline = await seedLine("demo", {}, []);
    const call = new TestCall("+15551230030", offline.number);
    await call.start();
    await call.answered();
    await call.gathered("1");
    expect(telnyx.actions().at(-1)).toBe("speak");
    expect(await runDurableObjectAlarm(call.stub)).toBe(true);
    await call.stub.idle();
    expect(telnyx.actions().at(-1)).toBe("hangup");
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "no_agent" });
  });

  it("stale-call guard: both hang-ups lost, so Telnyx is asked and the call is billed to its end_time", async () => {
    const call = new TestCall("+15551230031", line.number);
    await connect(call);
    const before = (await call.stub.inspect())!;
    expect(Object.keys(before.liveLegs).sort()).toEqual([AGENT_LEG, call.callerLeg].sort());
    const talkFrom = call.now();
    // Both parties hung up after 4 minutes, and neither webhook ever reached us.
    telnyx.endedLegs.set(call.callerLeg, talkFrom + 240_000);
    telnyx.endedLegs.set(AGENT_LEG, talkFrom + 240_400);
    // The minute ticks run first; the liveness check comes after the spell of webhook silence.
    for (let alarm = 0; alarm < 20 && telnyx.statusChecks.length === 0; alarm++) {
      expect(await runDurableObjectAlarm(call.stub)).toBe(true);
      await call.stub.idle();
    }
    expect(telnyx.statusChecks.sort()).toEqual([AGENT_LEG, call.callerLeg].sort());
    const record = await callRecord(call.sessionId);
    expect(record).toMatchObject({ status: "completed", billableSeconds: 240, endedAt: talkFrom + 240_000 });
  });

  it("a live call is never cut because nobody pressed a key: 3 hours of silence, Telnyx says alive", async () => {
    const call = new TestCall("+15551230032", line.number);
    await connect(call);
    // One liveness check every few minutes of silence, for three hours of simulated time.
    for (let check = 0; check < 40; check++) {
      expect(await runDurableObjectAlarm(call.stub)).toBe(true);
      await call.stub.idle();
    }
    expect(telnyx.statusChecks.length).toBeGreaterThanOrEqual(40);
    expect(telnyx.ofAction("hangup")).toHaveLength(0);
    expect(await callRecord(call.sessionId)).toBeNull();
    expect((await call.stub.inspect())?.phase).toBe("talking");
    // …and it ends normally when the caller hangs up.
    call.advance(3 * 3600_000);
    await call.hangup(call.callerLeg, "caller");
    await call.hangup(AGENT_LEG, `agent:${line.agents[0]!.id}`);
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      billableSeconds: 3 * 3600,
    });
  });
});
