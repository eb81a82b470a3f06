import { describe, expect, it } from "vitest";
import { CALLER_LEG, CallScript, ofType } from "../../src/ivr/call-script";
import { legId, type LineInfo } from "../../src/ivr/types";
import { DEMO_TEXTS, demoFlow } from "../../src/products/demo/demo-flow";

const AGENT = legId("leg-agent");
const line: LineInfo = {
  id: "demo-line",
  number: "+18005550199",
  name: "Demo",
  product: "demo",
  voice: "female",
  config: {},
};
const call = () => new CallScript(demoFlow, line);
const toMenu = () => {
  const s = call();
  s.start();
  s.answered();
  return s;
};
const recordOf = (s: ReturnType<typeof call>) => {
  const records = ofType(s.sent, "record_call");
  expect(records).toHaveLength(1);
  return records[0]!.record;
};

describe("demo flow", () => {
  it("answer → press 1 → agent → bridge → caller hangs up → agent hung up, free record", () => {
    const s = call();
    expect(s.start()).toEqual([
      { type: "answer", leg: CALLER_LEG },
      { type: "set_timer", name: "pre_talk_limit", at: s.now + 10 * 60_000 },
    ]);
    expect(ofType(s.answered(), "gather")).toEqual([
      expect.objectContaining({ prompt: DEMO_TEXTS.menu, minDigits: 1, maxDigits: 1 }),
    ]);
    expect(s.press("1")).toEqual([{ type: "reserve_agent", lineId: "demo-line", exclude: [] }]);
    const dial = s.send({
      type: "agent_reserved",
      agentId: "a1",
      destination: "+15550000001",
      name: "Anna",
      at: s.now,
    });
    expect(dial).toEqual([
      {
        type: "dial",
        role: "agent:a1",
        to: "+15550000001",
        from: "+18005550199",
        linkTo: CALLER_LEG,
        timeoutSecs: 20,
      },
      { type: "set_timer", name: "ring_timeout", at: s.now + 35_000 },
    ]);
    s.dialled(AGENT, "agent:a1");
    expect(s.answered(AGENT, "agent:a1")).toEqual([
      { type: "bridge", leg: CALLER_LEG, other: AGENT, parkAfterUnbridge: "self" },
    ]);
    const talkStart = s.now;
    const connected = s.bridged(AGENT, "agent:a1");
    // The agent ↔ call index points at this call while they talk.
    expect(connected).toContainEqual({ type: "agent_connected", lineId: "demo-line", agentId: "a1" });
    s.wait(42_000);
    const end = s.hungUp();
    expect(end).toContainEqual({ type: "hangup", leg: AGENT });
    // The call ends at the earliest hang-up, so it waits briefly for the agent's leg to report.
    expect(ofType(s.sent, "record_call")).toEqual([]);
    s.wait(800);
    const settled = s.hungUp(AGENT, "agent:a1");
    expect(settled).toContainEqual({ type: "release_agent", lineId: "demo-line", agentId: "a1" });
    expect(recordOf(s)).toMatchObject({
      status: "completed",
      amount: 0,
      talkStartedAt: talkStart,
      billableSeconds: 42,
      agentId: "a1",
      endedBy: "caller",
    });
    s.send({ type: "call_settled", at: s.now });
    expect(s.done).toBe(true);
  });

  it("the agent hanging up hangs up the caller", () => {
    const s = toMenu();
    s.press("1");
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.answered(AGENT, "agent:a1");
    s.bridged(AGENT, "agent:a1");
    expect(s.hungUp(AGENT, "agent:a1")).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    s.fire("hangup_wait"); // the caller's hang-up was never reported: settle anyway
    expect(recordOf(s)).toMatchObject({ status: "completed", endedBy: "agent" });
  });

  it("a rep who does not answer is released and the next one rung (the shared connect machine)", () => {
    const s = toMenu();
    s.press("1");
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.dialled(AGENT, "agent:a1");
    const next = s.hungUp(AGENT, "agent:a1", "no_answer");
    expect(next).toContainEqual({ type: "release_agent", lineId: "demo-line", agentId: "a1" });
    expect(next).toContainEqual({ type: "reserve_agent", lineId: "demo-line", exclude: ["a1"] });
  });

  it("a rep's hang-up that happened first but arrives second is when talk ended", () => {
    const s = toMenu();
    s.press("1");
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.answered(AGENT, "agent:a1");
    const talkStart = s.now;
    s.bridged(AGENT, "agent:a1");
    // The rep hangs up at 59.5 s; the caller's leg follows at 61 s, and its webhook comes first.
    s.send({
      type: "leg_hung_up",
      leg: CALLER_LEG,
      role: "caller",
      cause: "normal_clearing",
      at: talkStart + 61_000,
    });
    s.send({
      type: "leg_hung_up",
      leg: AGENT,
      role: "agent:a1",
      cause: "normal_clearing",
      at: talkStart + 59_500,
    });
    expect(recordOf(s)).toMatchObject({ billableSeconds: 59, endedAt: talkStart + 59_500, endedBy: "agent" });
  });

  it("nobody is kept in the demo's IVR longer than its limit", () => {
    const s = toMenu();
    s.press("1");
    const bye = s.fire("pre_talk_limit");
    expect(ofType(bye, "speak")[0]!.text).toBe(DEMO_TEXTS.tooLong);
    s.spoke();
    expect(recordOf(s).status).toBe("no_agent");
  });

  it("no agent free: sorry, goodbye, hang up", () => {
    const s = toMenu();
    s.press("1");
    expect(ofType(s.send({ type: "no_agent_available", at: s.now }), "speak")).toEqual([
      { type: "speak", leg: CALLER_LEG, text: DEMO_TEXTS.noAgent },
    ]);
    expect(s.spoke()).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    expect(recordOf(s)).toMatchObject({ status: "no_agent", amount: 0 });
  });

  it("wrong key or silence repeats the menu, three times at most, then goodbye", () => {
    const s = toMenu();
    expect(ofType(s.press("5"), "gather")[0]!.prompt).toBe(`That is not a valid choice. ${DEMO_TEXTS.menu}`);
    expect(ofType(s.silence(), "gather")).toHaveLength(1);
    const bye = s.press("9");
    expect(ofType(bye, "gather")).toEqual([]);
    expect(ofType(bye, "speak")[0]!.text).toBe(DEMO_TEXTS.goodbye);
    s.spoke();
    expect(recordOf(s).status).toBe("abandoned");
  });

  it("a caller hanging up in the menu is recorded once; duplicates change nothing", () => {
    const s = toMenu();
    s.hungUp();
    expect(s.hungUp()).toEqual([]);
    expect(recordOf(s)).toMatchObject({ status: "abandoned", talkStartedAt: null });
  });
});
