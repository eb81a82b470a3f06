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
  prepare,
  repFollows,
  type AdviceScript,
} from "./support/advice-script";
import type { AdviceConfigInput } from "../../src/products/advice/config";

// 25.00 USD for up to 60 minutes.
const FLAT: AdviceConfigInput = {
  billing: "flat_rate",
  currency: "usd",
  flatFee: 2500,
  maxMinutes: 60,
  welcomeText: "Welcome to Tech Help.",
};

const recordOf = (s: AdviceScript): CallRecord => {
  const records = ofType(s.sent, "record_call");
  expect(records).toHaveLength(1);
  return records[0]!.record;
};

describe("advice line, flat rate", () => {
  it("states the fee and the maximum time, and charges upfront (automatic capture)", () => {
    const s = adviceCall(FLAT);
    s.start();
    s.answered();
    expect(ofType(s.spoke(), "gather")[0]!.prompt).toBe(
      "This call costs a flat fee of 25.00 US dollars for up to 60 minutes with a representative. Your card " +
        "is charged before we connect you, and refunded if no representative answers. Press 1 to accept, or 2 to decline.",
    );
    s.press("1");
    keyInCard(s);
    expect(ofType(s.sent, "prepare_payment")).toEqual([
      {
        type: "prepare_payment",
        amount: 2500,
        currency: "usd",
        capture: "automatic",
        idempotencyKey: "session-1:pi:1",
        description: "Ask Anna advice call",
      },
    ]);
  });

  it("connects with a hard limit: warning at 59 min, cutoff at 60, the fee is kept and nothing else charged", () => {
    const s = approve(keyInCard(acceptTerms(adviceCall(FLAT))), "pi_flat");
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    const dial = ofType(s.sent, "dial")[0]!;
    expect(dial.timeLimitSecs).toBe(3600 + 20 + 60);
    s.answered(agentLeg(), "agent:a1");
    s.bridged(agentLeg(), "agent:a1");
    const talkStart = s.now;
    expect(s.timers.get("warning")).toBe(talkStart + 59 * 60_000);
    expect(s.timers.get("cutoff")).toBe(talkStart + 60 * 60_000);
    expect(s.fire("warning")).toEqual([
      { type: "speak", leg: CALLER_LEG, text: "This call will end in 1 minute.", targetLegs: "both" },
    ]);
    expect(ofType(s.fire("cutoff"), "hangup")).toHaveLength(2);
    s.wait(800);
    s.hungUp();
    repFollows(s);
    expect(ofType(s.sent, "capture_payment")).toEqual([]);
    expect(ofType(s.sent, "refund_payment")).toEqual([]);
    expect(recordOf(s)).toMatchObject({
      status: "completed",
      amount: 2500,
      billableSeconds: 3600,
      paymentId: "pi_flat",
      hangupCause: "time_limit",
    });
    expect(recordOf(s).payments.map((p) => p.kind)).toEqual(["charge"]);
  });

  it("a short call still costs the flat fee", () => {
    const s = connectRep(approve(keyInCard(acceptTerms(adviceCall(FLAT)))));
    s.wait(5 * 60_000);
    s.hungUp(agentLeg(), "agent:a1");
    s.hungUp();
    expect(recordOf(s)).toMatchObject({ amount: 2500, status: "completed", endedBy: "agent" });
  });

  it("no rep ever answers: the voicemail prompt says so and the fee is refunded automatically", () => {
    const s = approve(keyInCard(acceptTerms(adviceCall(FLAT))), "pi_flat");
    const prompt = s.send({ type: "no_agent_available", at: s.now });
    expect(ofType(prompt, "speak")[0]!.text).toBe(
      "Sorry, no representative is available. You have not been connected, so your payment of 25.00 US dollars " +
        "will be refunded. Please leave a message after the tone.",
    );
    s.spoke();
    s.spoke();
    s.hungUp();
    s.fire("recording_wait");
    expect(ofType(s.sent, "refund_payment")).toEqual([
      { type: "refund_payment", paymentId: "pi_flat", amount: 2500, idempotencyKey: "pi_flat:refund" },
    ]);
    moneySettles(s);
    expect(recordOf(s)).toMatchObject({ amount: 0, status: "no_agent" });
    expect(recordOf(s).payments.map((p) => [p.kind, p.amount, p.status])).toEqual([
      ["charge", 2500, "succeeded"],
      ["refund", 2500, "refunded"],
    ]);
  });

  it("a caller who gives up while queued is refunded", () => {
    const s = approve(
      keyInCard(acceptTerms(adviceCall({ ...FLAT, noRep: { mode: "queue", maxWaitSec: 300 } }))),
    );
    s.send({ type: "no_agent_available", at: s.now });
    s.wait(60_000);
    s.hungUp();
    expect(ofType(s.sent, "refund_payment")).toHaveLength(1);
    moneySettles(s);
    expect(recordOf(s)).toMatchObject({ amount: 0, status: "no_agent" });
  });

  it("a charge answered after the caller left is refunded", () => {
    const s = keyInCard(acceptTerms(adviceCall(FLAT)));
    prepare(s, "pi_late"); // the confirmation is on its way to Stripe
    s.hungUp();
    s.send({ type: "payment_charged", paymentId: "pi_late", amount: 2500, at: s.now });
    expect(ofType(s.sent, "refund_payment")).toEqual([
      { type: "refund_payment", paymentId: "pi_late", amount: 2500, idempotencyKey: "pi_late:refund" },
    ]);
  });

  it("a refund Stripe refuses is recorded as refused, and the fee counts as kept", () => {
    const s = approve(keyInCard(acceptTerms(adviceCall(FLAT))), "pi_flat");
    s.send({ type: "no_agent_available", at: s.now });
    s.spoke();
    s.spoke();
    s.hungUp();
    s.fire("recording_wait");
    s.send({
      type: "payment_refused",
      operation: "refund",
      paymentId: "pi_flat",
      code: "balance_insufficient",
      at: s.now,
    });
    expect(recordOf(s)).toMatchObject({ amount: 2500, status: "no_agent" });
    expect(recordOf(s).payments.at(-1)).toMatchObject({
      kind: "refund",
      status: "refused",
      code: "balance_insufficient",
    });
  });
});
