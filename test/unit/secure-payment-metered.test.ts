/**
 * Secure payments on the metered products: while the caller keys a card, talk is paused — no
 * warning, credit request or cutoff fires (an agent line's credit limit passes unnoticed), and the
 * minutes are not billed; afterwards the limit has moved by the time the payment took. The same
 * machine serves the advice line (in its currency) and the agent line (in öre).
 */
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import type { LegId } from "../../src/ivr/types";
import {
  acceptTerms,
  adviceCall,
  agentLeg as adviceRepLeg,
  approve,
  connectRep,
  keyInCard,
  moneySettles,
  repFollows,
} from "./support/advice-script";
import {
  agentLeg,
  agentLineCall,
  connectAgent,
  creditAnswered,
  customer,
  dialIn,
} from "./support/agent-line-script";
import { identifiedAs } from "./support/agent-line-script";

interface Script {
  now: number;
  timers: Map<string, number>;
  sent: { type: string }[];
  wait(ms: number): unknown;
  press(digits: string): unknown;
  spoke(): unknown;
  bridged(leg: LegId, role: "caller"): unknown;
  act(action: string, params: Record<string, unknown>, key: string): unknown;
  send(event: { type: "leg_enqueued"; leg: LegId; queue: string; at: number }): unknown;
  send(event: {
    type: "payment_prepared";
    paymentId: string;
    brand: string;
    last4: string;
    at: number;
  }): unknown;
  send(event: { type: "payment_charged"; paymentId: string; amount: number; at: number }): unknown;
}

/** A whole payment that takes `minutes` minutes of the caller's time, charged. */
function payment(s: Script, agent: LegId, params: Record<string, unknown>, minutes: number) {
  s.act("request_payment", params, "req-1");
  s.send({ type: "leg_enqueued", leg: agent, queue: "sp_session-1_1", at: s.now });
  s.press("1");
  for (const digits of ["4242424242424242", "1230", "123", "94107"]) {
    s.wait((minutes * 60_000) / 4);
    s.press(digits);
    s.press("1");
  }
  s.send({ type: "payment_prepared", paymentId: "pi_sp", brand: "visa", last4: "4242", at: s.now });
  s.send({ type: "payment_charged", paymentId: "pi_sp", amount: Number(params.amount), at: s.now });
  s.spoke();
  s.bridged(CALLER_LEG, "caller");
}

const PAYMENT_TIMERS = ["warning", "funds", "cutoff"];

describe("an agent line's credit clock during a secure payment", () => {
  const talking = (available: number, reserved: number) => {
    const s = dialIn(agentLineCall({ warningSec: 60 }));
    identifiedAs(s, { kind: "customer", customer: customer({ available }), created: false });
    creditAnswered(s, reserved);
    return connectAgent(s);
  };

  it("the cutoff does not fire mid-payment and moves by the payment's length; talk time leaves it out", () => {
    // Two whole minutes of credit at 19.90 after the 4.95 fee.
    const s = talking(5000, 5000);
    const started = s.now;
    s.wait(30_000);
    s.act("request_payment", { item: "Invoice 1042", amount: 45_000, currency: "sek" }, "req-1");
    for (const timer of PAYMENT_TIMERS) expect(s.timers.has(timer)).toBe(false);
    s.send({ type: "leg_enqueued", leg: agentLeg(1), queue: "sp_session-1_1", at: s.now });
    s.press("1");
    for (const digits of ["4242424242424242", "1230", "123", "94107"]) {
      s.wait(60_000); // four minutes in all: long past where the credit ran out
      s.press(digits);
      s.press("1");
    }
    expect(ofType(s.sent, "hangup")).toEqual([]);
    expect(ofType(s.sent, "prepare_payment")[0]).toMatchObject({ amount: 45_000, currency: "sek" });
    s.send({ type: "payment_prepared", paymentId: "pi_sp", brand: "visa", last4: "4242", at: s.now });
    s.send({ type: "payment_charged", paymentId: "pi_sp", amount: 45_000, at: s.now });
    s.spoke();
    const pausedFor = s.now - (started + 30_000);
    s.bridged(CALLER_LEG, "caller");
    expect(s.timers.get("cutoff")).toBe(started + 120_000 + pausedFor);
    s.wait(20_000);
    s.hungUp();
    s.hungUp(agentLeg(1), "agent:ag_1");
    expect(ofType(s.sent, "settle_order")[0]).toMatchObject({ talkSeconds: 50 });
  });
});

describe("an advice line's hold during a secure payment", () => {
  const PER_MINUTE = {
    billing: "per_minute",
    currency: "usd",
    ratePerMinute: 199,
    preauthAmount: 5000,
    welcomeText: "Welcome.",
  } as const;

  it("the minutes spent keying the card are not billed, and the cutoff moves by them", () => {
    const s = connectRep(approve(keyInCard(acceptTerms(adviceCall(PER_MINUTE))), "pi_hold"));
    const limit = s.timers.get("cutoff")!;
    s.wait(90_000);
    const before = s.now;
    payment(s, adviceRepLeg(1), { item: "Report", amount: 4900, currency: "usd" }, 4);
    expect(s.timers.get("cutoff")).toBe(limit + (s.now - before));
    s.wait(20_000);
    s.hungUp();
    moneySettles(repFollows(s));
    // 90 s + 20 s of talk → 2 minutes billed; the 4 payment minutes are not.
    expect(ofType(s.sent, "capture_payment")).toEqual([
      { type: "capture_payment", paymentId: "pi_hold", amount: 398, idempotencyKey: "pi_hold:capture" },
    ]);
    expect(ofType(s.sent, "prepare_payment").at(-1)).toMatchObject({ amount: 4900, capture: "automatic" });
  });

  it("a request in another currency than the line's is refused", () => {
    const s = connectRep(approve(keyInCard(acceptTerms(adviceCall(PER_MINUTE))), "pi_hold"));
    const refused = s.act("request_payment", { item: "Report", amount: 4900, currency: "sek" }, "req-x");
    expect(ofType(refused, "reply_action")[0]?.reply).toMatchObject({
      ok: false,
      status: 422,
      errors: [{ field: "currency" }],
    });
  });
});
