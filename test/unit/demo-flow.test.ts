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
const recordOf = (s: CallScript<unknown, unknown>) => {
  const records = ofType(s.sent, "record_call");
  expect(records).toHaveLength(1);
  return records[0]!.record;
};

describe("demo flow", () => {
  it("answer → press 1 → agent → bridge → caller hangs up → agent hung up, free record", () => {
    const s = call();
    expect(s.start()).toEqual([{ type: "answer", leg: CALLER_LEG }]);
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
    ]);
    s.dialled(AGENT, "agent:a1");
    expect(s.answered(AGENT, "agent:a1")).toEqual([{ type: "bridge", leg: CALLER_LEG, other: AGENT }]);
    const talkStart = s.now;
    s.bridged(AGENT, "agent:a1");
    s.wait(42_000);
    const end = s.hungUp();
    expect(end).toContainEqual({ type: "hangup", leg: AGENT });
    expect(end).toContainEqual({ type: "release_agent", lineId: "demo-line", agentId: "a1" });
    expect(recordOf(s)).toMatchObject({
      status: "completed",
      amount: 0,
      talkStartedAt: talkStart,
      billableSeconds: 42,
      agentId: "a1",
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
    expect(recordOf(s).status).toBe("completed");
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
