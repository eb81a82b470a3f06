import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import type { CallRecord } from "../../src/ivr/types";
import {
  acceptTerms,
  adviceCall,
  agentLeg,
  approve,
  connectRep,
  keyInCard,
  moneySettles,
  repFollows,
  type AdviceScript,
} from "./support/advice-script";
import type { AdviceConfigInput } from "../../src/products/advice/config";

const BASE: AdviceConfigInput = {
  billing: "per_minute",
  currency: "usd",
  ratePerMinute: 199,
  preauthAmount: 5000,
  welcomeText: "Welcome.",
};
const QUEUE: AdviceConfigInput = {
  ...BASE,
  noRep: { mode: "queue", maxWaitSec: 120, holdMusicUrl: "https://example.com/hold.mp3" },
};

/** The record, once Stripe has answered whatever settling asked of it. */
const recordOf = (s: AdviceScript): CallRecord => {
  if (ofType(s.sent, "record_call").length === 0) moneySettles(s);
  const records = ofType(s.sent, "record_call");
  expect(records).toHaveLength(1);
  return records[0]!.record;
};
const paid = (config: AdviceConfigInput) => approve(keyInCard(acceptTerms(adviceCall(config))));
const noAgent = (s: AdviceScript) => s.send({ type: "no_agent_available", at: s.now });

describe("advice line: reaching a rep", () => {
  it("a rep who does not answer is released and the next one tried, excluding them", () => {
    const s = paid(BASE);
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.dialled(agentLeg(1), "agent:a1");
    const next = s.hungUp(agentLeg(1), "agent:a1", "no_answer");
    expect(next).toContainEqual({ type: "release_agent", lineId: "line-1", agentId: "a1" });
    expect(next).toContainEqual({ type: "reserve_agent", lineId: "line-1", exclude: ["a1"] });
    connectRep(s, "a2", 2);
    expect(s.state.phase).toBe("talking");
    // The first rep's leg reporting again late changes nothing.
    expect(s.hungUp(agentLeg(1), "agent:a1")).toEqual([]);
  });

  it("the ring backstop timer hangs up a rep who never answered and tries another", () => {
    const s = paid(BASE);
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.dialled(agentLeg(1), "agent:a1");
    const next = s.fire("ring_timeout");
    expect(next[0]).toEqual({ type: "hangup", leg: agentLeg(1) });
    expect(next).toContainEqual({ type: "reserve_agent", lineId: "line-1", exclude: ["a1"] });
  });

  it("no rep: hold queue with music; a freed rep is offered and connected", () => {
    const s = paid(QUEUE);
    const queued = noAgent(s);
    expect(queued).toEqual([
      { type: "join_hold_queue", lineId: "line-1" },
      {
        type: "speak",
        leg: CALLER_LEG,
        text: "All of our representatives are busy. Please hold and we will connect you as soon as one is free.",
      },
      { type: "set_timer", name: "queue_timeout", at: s.now + 120_000 },
    ]);
    s.spoke(); // "card approved" finished; the hold message is still playing
    expect(ofType(s.sent, "play")).toEqual([]);
    s.send({ type: "queue_joined", position: 2, at: s.now });
    s.spoke();
    expect(ofType(s.sent, "play")).toEqual([
      { type: "play", leg: CALLER_LEG, audioUrl: "https://example.com/hold.mp3", loop: true },
    ]);
    s.wait(45_000);
    const offered = s.send({
      type: "agent_offered",
      agentId: "a7",
      destination: "+15550000007",
      name: "Bo",
      at: s.now,
    });
    expect(offered.slice(0, 2)).toEqual([
      { type: "stop_playback", leg: CALLER_LEG },
      { type: "clear_timer", name: "queue_timeout" },
    ]);
    expect(ofType(offered, "dial")[0]).toMatchObject({ role: "agent:a7", to: "+15550000007" });
    s.answered(agentLeg(7), "agent:a7");
    s.bridged(agentLeg(7), "agent:a7");
    s.wait(60_000);
    s.hungUp();
    repFollows(s, 7, "a7");
    expect(recordOf(s)).toMatchObject({ status: "completed", agentId: "a7", amount: 199 });
  });

  it("queue wait runs out → voicemail; the message is kept and the hold cancelled", () => {
    const s = paid(QUEUE);
    noAgent(s);
    s.spoke(); // approval message
    s.spoke(); // hold message: the music starts
    const toVoicemail = s.fire("queue_timeout");
    expect(toVoicemail.slice(0, 2)).toEqual([
      { type: "leave_hold_queue", lineId: "line-1" },
      { type: "stop_playback", leg: CALLER_LEG },
    ]);
    expect(ofType(toVoicemail, "speak")[0]!.text).toBe(
      "Sorry, no representative is available. You have not been charged. Please leave a message after the tone.",
    );
    expect(ofType(s.spoke(), "record_start")).toEqual([
      { type: "record_start", leg: CALLER_LEG, maxLengthSecs: 120, playBeep: true },
    ]);
    s.wait(20_000);
    s.hungUp();
    expect(ofType(s.sent, "record_call")).toEqual([]);
    s.send({
      type: "recording_saved",
      leg: CALLER_LEG,
      url: "https://rec.example/1.mp3",
      durationSec: 19,
      at: s.now,
    });
    expect(ofType(s.sent, "cancel_payment")).toHaveLength(1);
    expect(ofType(s.sent, "capture_payment")).toEqual([]);
    expect(recordOf(s)).toMatchObject({
      status: "voicemail",
      amount: 0,
      voicemail: { url: "https://rec.example/1.mp3", durationSec: 19 },
    });
  });

  it("voicemail mode: straight to the message; a recording that reaches its maximum ends with thanks", () => {
    const s = paid(BASE);
    noAgent(s);
    s.spoke();
    s.spoke();
    expect(s.state.phase).toBe("recording");
    expect(ofType(s.fire("voicemail_end"), "record_stop")).toHaveLength(1);
    s.send({
      type: "recording_saved",
      leg: CALLER_LEG,
      url: "https://rec.example/2.mp3",
      durationSec: 120,
      at: s.now,
    });
    s.spoke();
    expect(recordOf(s)).toMatchObject({
      status: "voicemail",
      voicemail: { url: "https://rec.example/2.mp3" },
    });
    expect(ofType(s.sent, "cancel_payment")).toHaveLength(1);
  });

  it("a hang-up while recording with no saved recording settles as no_agent after the wait", () => {
    const s = paid(BASE);
    noAgent(s);
    s.spoke();
    s.spoke();
    s.hungUp();
    s.fire("recording_wait");
    expect(recordOf(s)).toMatchObject({ status: "no_agent", voicemail: null });
  });
});

describe("advice line: the caller hangs up", () => {
  type Step = [string, (s: AdviceScript) => void, string];
  const steps: Step[] = [
    ["while we answer", (s) => s.start(), "abandoned"],
    ["during the welcome", (s) => (s.start(), s.answered()), "abandoned"],
    ["at the terms", (s) => (s.start(), s.answered(), s.spoke()), "abandoned"],
    ["while keying in the card", (s) => (acceptTerms(s), s.press("4242424242424242")), "abandoned"],
    ["while a rep is reserved", (s) => void approve(keyInCard(acceptTerms(s))), "no_agent"],
    ["while queued", (s) => void noAgent(approve(keyInCard(acceptTerms(s)))), "no_agent"],
  ];
  it.each(steps)("%s: settles once, holds nothing", (_name, reach, status) => {
    const s = adviceCall(QUEUE);
    reach(s);
    s.wait(3_000);
    s.hungUp();
    expect(recordOf(s)).toMatchObject({ status, amount: 0, talkStartedAt: null });
    expect(ofType(s.sent, "capture_payment")).toEqual([]);
    expect(ofType(s.sent, "cancel_payment")).toHaveLength(s.state.payment ? 1 : 0);
    if (status === "no_agent" && s.sent.some((c) => c.type === "join_hold_queue")) {
      expect(s.sent).toContainEqual({ type: "leave_hold_queue", lineId: "line-1" });
    }
    s.send({ type: "call_settled", at: s.now });
    expect(s.done).toBe(true);
  });

  it("while the card is checked: waits for the answer, then releases the hold it got", () => {
    const s = keyInCard(acceptTerms(adviceCall(BASE)));
    s.send({ type: "payment_prepared", paymentId: "pi_9", brand: "visa", last4: "4242", at: s.now });
    expect(s.hungUp()).toEqual([]);
    const settled = s.send({ type: "payment_authorized", paymentId: "pi_9", amount: 5000, at: s.now });
    expect(ofType(settled, "reserve_agent")).toEqual([]);
    expect(ofType(settled, "cancel_payment")).toEqual([
      { type: "cancel_payment", paymentId: "pi_9", idempotencyKey: "pi_9:cancel" },
    ]);
    expect(recordOf(s)).toMatchObject({ status: "abandoned", paymentId: "pi_9" });
  });

  it("while a rep is ringing: the rep's leg is hung up and released; a late answer is hung up too", () => {
    const s = paid(BASE);
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.dialled(agentLeg(), "agent:a1");
    const end = s.hungUp();
    expect(end).toContainEqual({ type: "hangup", leg: agentLeg() });
    expect(end).toContainEqual({ type: "release_agent", lineId: "line-1", agentId: "a1" });
    expect(recordOf(s)).toMatchObject({ status: "no_agent", agentId: null });
    expect(s.answered(agentLeg(), "agent:a1")).toEqual([{ type: "hangup", leg: agentLeg() }]);
  });

  it("a rep reserved after the caller left is released; a repeated reservation of our rep is not", () => {
    const s = paid(BASE);
    s.hungUp();
    const late = s.send({
      type: "agent_reserved",
      agentId: "a3",
      destination: "+15550000003",
      name: "Cy",
      at: s.now,
    });
    expect(late).toEqual([{ type: "release_agent", lineId: "line-1", agentId: "a3" }]);
    const t = connectRep(paid(BASE));
    expect(
      t.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: t.now }),
    ).toEqual([]);
  });

  it("after the end, late webhooks change nothing", () => {
    const s = connectRep(paid(BASE));
    s.wait(10_000);
    s.hungUp();
    moneySettles(repFollows(s));
    s.send({ type: "call_settled", at: s.now });
    const before = JSON.stringify(s.state);
    expect(s.hungUp(agentLeg(), "agent:a1")).toEqual([]);
    expect(s.press("1")).toEqual([]);
    expect(s.send({ type: "timer_fired", name: "cutoff", at: s.now })).toEqual([]);
    expect(JSON.stringify(s.state)).toBe(before);
  });

  it("nobody is held before talk past the line's limit: ringing reps are let go and the hold is released", () => {
    const s = paid({ ...QUEUE, maxPreTalkSec: 600 });
    noAgent(s); // queued
    const bye = s.fire("pre_talk_limit");
    expect(bye).toContainEqual({ type: "leave_hold_queue", lineId: "line-1" });
    expect(ofType(bye, "speak")[0]!.text).toBe("Sorry, we could not connect your call in time. Goodbye.");
    s.spoke();
    s.spoke();
    s.spoke();
    expect(recordOf(s)).toMatchObject({ status: "timed_out", amount: 0 });
    expect(ofType(s.sent, "cancel_payment")).toHaveLength(1);
  });
});
