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

// 1.99 USD a minute, 50.00 USD hold → 25 whole minutes affordable (4975 ≤ 5000).
const PER_MINUTE: AdviceConfigInput = {
  billing: "per_minute",
  currency: "usd",
  ratePerMinute: 199,
  preauthAmount: 5000,
  welcomeText: "Welcome to Ask Anna.",
};
const LIMIT_MS = 25 * 60_000;

const recordOf = (s: AdviceScript): CallRecord => {
  const records = ofType(s.sent, "record_call");
  expect(records).toHaveLength(1);
  return records[0]!.record;
};
/** The caller hangs up now; the rep's leg follows; Stripe answers what settling asked. */
const callerEnds = (s: AdviceScript) => {
  s.hungUp();
  return moneySettles(repFollows(s));
};
const talking = () => connectRep(approve(keyInCard(acceptTerms(adviceCall(PER_MINUTE))), "pi_1"));

describe("advice line, per minute: the whole call", () => {
  it("answer → welcome → terms → card → hold → rep → talk 2½ min → capture 3 minutes → record", () => {
    const s = adviceCall(PER_MINUTE);
    expect(s.start()).toEqual([
      { type: "answer", leg: CALLER_LEG },
      // However long the IVR or the queue, nobody is held on the line for ever before talk.
      { type: "set_timer", name: "pre_talk_limit", at: s.now + 1_800_000 },
    ]);
    expect(s.answered()).toEqual([{ type: "speak", leg: CALLER_LEG, text: "Welcome to Ask Anna." }]);
    const terms = ofType(s.spoke(), "gather")[0]!;
    expect(terms.prompt).toBe(
      "This call costs 1.99 US dollars per minute, billed per started minute. We will place a temporary " +
        "hold of 50.00 US dollars on your card and charge only for the time you talk with a representative, " +
        "for up to 25 minutes. Press 1 to accept, or 2 to decline.",
    );
    expect(ofType(s.press("1"), "gather")[0]!.prompt).toMatch(/^Please enter your card number/);
    keyInCard(s);
    expect(JSON.stringify(s.state)).not.toContain("4242424242424242");
    expect(ofType(s.sent, "prepare_payment")).toEqual([
      {
        type: "prepare_payment",
        amount: 5000,
        currency: "usd",
        capture: "manual",
        idempotencyKey: "session-1:pi:1",
        description: "Ask Anna advice call",
      },
    ]);
    // Prepared first (no money yet, but its id is known), then confirmed under a derived key.
    expect(
      s.send({ type: "payment_prepared", paymentId: "pi_1", brand: "visa", last4: "4242", at: s.now }),
    ).toEqual([{ type: "confirm_payment", paymentId: "pi_1", idempotencyKey: "session-1:pi:1:confirm" }]);
    const approved = s.send({ type: "payment_authorized", paymentId: "pi_1", amount: 5000, at: s.now });
    expect(approved).toEqual([
      { type: "forget_card" },
      {
        type: "speak",
        leg: CALLER_LEG,
        text: "Thank you, your card is approved. Connecting you to a representative.",
      },
      { type: "reserve_agent", lineId: "line-1", exclude: [] },
    ]);
    const dial = s.send({
      type: "agent_reserved",
      agentId: "a1",
      destination: "+15550000001",
      name: "Anna",
      at: s.now,
    });
    expect(ofType(dial, "dial")).toEqual([
      {
        type: "dial",
        role: "agent:a1",
        to: "+15550000001",
        from: "+18005550100",
        linkTo: CALLER_LEG,
        timeoutSecs: 20,
        timeLimitSecs: 1500 + 20 + 60,
      },
    ]);
    s.dialled(agentLeg(), "agent:a1");
    expect(s.answered(agentLeg(), "agent:a1")).toEqual([
      { type: "bridge", leg: CALLER_LEG, other: agentLeg(), parkAfterUnbridge: "self" },
    ]);
    const talkStart = s.now;
    s.bridged(agentLeg(), "agent:a1");
    expect(s.timers.get("tick")).toBe(talkStart + 60_000);
    expect(s.timers.get("warning")).toBe(talkStart + LIMIT_MS - 60_000);
    expect(s.timers.get("cutoff")).toBe(talkStart + LIMIT_MS);

    s.fire("tick");
    s.fire("tick");
    expect(s.state.talk?.minutes).toBe(2);
    s.now = talkStart + 150_000;
    expect(s.hungUp()).toContainEqual({ type: "hangup", leg: agentLeg() });
    // The rep's leg reports its end (talk ends at the earlier of the two): settle.
    s.wait(700);
    const end = s.hungUp(agentLeg(), "agent:a1");
    expect(end).toContainEqual({ type: "release_agent", lineId: "line-1", agentId: "a1" });
    expect(ofType(end, "capture_payment")).toEqual([
      { type: "capture_payment", paymentId: "pi_1", amount: 597, idempotencyKey: "pi_1:capture" },
    ]);
    // The record waits for Stripe's answer, so it says what really happened.
    expect(ofType(s.sent, "record_call")).toEqual([]);
    s.send({
      type: "payment_settled",
      operation: "capture",
      paymentId: "pi_1",
      amount: 597,
      outcome: "done",
      at: s.now,
    });
    expect(recordOf(s)).toMatchObject({
      status: "completed",
      callerNumber: "+15550001111",
      calledNumber: "+18005550100",
      talkStartedAt: talkStart,
      endedAt: talkStart + 150_000,
      billableSeconds: 180,
      amount: 597,
      currency: "usd",
      agentId: "a1",
      cardBrand: "visa",
      cardLast4: "4242",
      paymentId: "pi_1",
      endedBy: "caller",
    });
    expect(recordOf(s).payments.map((p) => [p.kind, p.amount])).toEqual([
      ["authorization", 5000],
      ["capture", 597],
    ]);
    expect(s.done).toBe(false);
    s.send({ type: "call_settled", at: s.now });
    expect(s.done).toBe(true);
  });

  it("declining the terms says goodbye and hangs up without touching a card", () => {
    const s = adviceCall(PER_MINUTE);
    s.start();
    s.answered();
    s.spoke();
    expect(s.press("2")).toEqual([
      { type: "speak", leg: CALLER_LEG, text: "No problem. Thank you for calling. Goodbye." },
      { type: "set_timer", name: "goodbye", at: s.now + 30_000 },
    ]);
    expect(s.spoke()).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    expect(recordOf(s)).toMatchObject({ status: "declined_terms", amount: 0, paymentId: null });
    expect(ofType(s.sent, "prepare_payment")).toEqual([]);
  });
});

describe("advice line, per minute: card and payment answers", () => {
  it("an invalid card number is refused and re-entered before any payment call", () => {
    const s = acceptTerms(adviceCall(PER_MINUTE));
    expect(ofType(s.press("4242424242424241"), "gather")[0]!.prompt).toMatch(
      /^That card number is not valid\./,
    );
    keyInCard(s);
    expect(ofType(s.sent, "prepare_payment")).toHaveLength(1);
  });

  it("an expired card is refused at the expiry prompt", () => {
    const s = acceptTerms(adviceCall(PER_MINUTE));
    s.press("4242424242424242");
    s.press("1");
    expect(ofType(s.press("0125"), "gather")[0]!.prompt).toMatch(/^That expiry date is in the past\./);
  });

  it("incorrect_number from the processor: 'please re-enter', card again, new attempt key", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    const again = s.send({
      type: "payment_declined",
      reason: "incorrect_number",
      code: "incorrect_number",
      paymentId: null,
      at: s.now,
    });
    expect(again[0]).toEqual({ type: "forget_card" });
    expect(ofType(again, "gather")[0]!.prompt).toMatch(
      /^The card number was invalid, please re-enter\. Please enter your card number/,
    );
    keyInCard(s);
    expect(ofType(s.sent, "prepare_payment").map((a) => a.idempotencyKey)).toEqual([
      "session-1:pi:1",
      "session-1:pi:2",
    ]);
  });

  it("declined with a customer service number, after the caller has no other card: told, then transferred", () => {
    const s = keyInCard(acceptTerms(adviceCall({ ...PER_MINUTE, customerServiceNumber: "+15557770000" })));
    const said = s.send({
      type: "payment_declined",
      reason: "insufficient_funds",
      code: "insufficient_funds",
      paymentId: "pi_1",
      at: s.now,
    });
    expect(said[0]).toEqual({ type: "forget_card" });
    expect(ofType(said, "gather")[0]!.prompt).toBe(
      "Sorry, your card was declined. Press 1 to try another card, or 2 to end the call.",
    );
    expect(ofType(s.press("2"), "speak")).toEqual([
      {
        type: "speak",
        leg: CALLER_LEG,
        text: "Sorry, your card was declined. We are transferring you to customer service.",
      },
    ]);
    expect(ofType(s.spoke(), "transfer")).toEqual([
      {
        type: "transfer",
        leg: CALLER_LEG,
        to: "+15557770000",
        from: "+18005550100",
        timeoutSecs: 30,
        role: "transfer:service",
      },
    ]);
    expect(recordOf(s)).toMatchObject({ status: "payment_failed", amount: 0, hangupCause: "transferred" });
    // Every attempt Stripe saw is a payment row, with its decline code.
    expect(recordOf(s).payments).toEqual([
      expect.objectContaining({
        paymentId: "pi_1",
        kind: "attempt",
        status: "failed",
        code: "insufficient_funds",
      }),
    ]);
  });

  it("declined: another card is offered (plain words), and the second card goes through under a new key", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    s.send({
      type: "payment_declined",
      reason: "declined",
      code: "generic_decline",
      paymentId: null,
      at: s.now,
    });
    expect(ofType(s.press("1"), "gather")[0]!.prompt).toMatch(
      /^Please have your other card ready\. Please enter your card number/,
    );
    keyInCard(s);
    expect(ofType(s.sent, "prepare_payment").map((a) => a.idempotencyKey)).toEqual([
      "session-1:pi:1",
      "session-1:pi:2",
    ]);
    approve(s, "pi_2");
    expect(s.state.phase).toBe("reserving");
  });

  it("declined and no other card: a message, then hang-up", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    s.send({
      type: "payment_declined",
      reason: "declined",
      code: "generic_decline",
      paymentId: null,
      at: s.now,
    });
    expect(ofType(s.press("2"), "speak")[0]!.text).toBe(
      "Sorry, your card was declined. You have not been charged. Goodbye.",
    );
    expect(s.spoke()).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    expect(recordOf(s).status).toBe("payment_failed");
  });

  it("card attempts are bounded by the line's tries: the last wrong card ends the call", () => {
    const s = acceptTerms(adviceCall({ ...PER_MINUTE, maxTries: 6 }));
    for (let card = 1; card <= 6; card++) {
      keyInCard(s);
      s.send({
        type: "payment_declined",
        reason: "incorrect_number",
        code: "incorrect_number",
        paymentId: null,
        at: s.now,
      });
    }
    expect(ofType(s.sent, "prepare_payment")).toHaveLength(6);
    expect(ofType(s.sent, "speak").at(-1)!.text).toBe(
      "Sorry, we could not take a payment from the cards you entered. You have not been charged. Goodbye.",
    );
    s.spoke();
    expect(recordOf(s)).toMatchObject({ status: "payment_failed", amount: 0 });
    expect(recordOf(s).payments.map((p) => p.kind)).toEqual([
      "attempt",
      "attempt",
      "attempt",
      "attempt",
      "attempt",
      "attempt",
    ]);
  });

  it("processor unavailable: the retry goes under a fresh key (Stripe replays a saved 500), a third failure ends the call", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    const menu = s.send({ type: "payment_unavailable", at: s.now });
    expect(ofType(menu, "gather")[0]!.prompt).toBe(
      "Sorry, we could not reach our card processor. You have not been charged. Press 1 to try again, or 2 to end the call.",
    );
    expect(menu).not.toContainEqual({ type: "forget_card" });
    s.press("1");
    s.send({ type: "payment_unavailable", at: s.now });
    s.press("1");
    expect(ofType(s.sent, "prepare_payment").map((a) => a.idempotencyKey)).toEqual([
      "session-1:pi:1",
      "session-1:pi:1:t1",
      "session-1:pi:1:t2",
    ]);
    const bye = s.send({ type: "payment_unavailable", at: s.now });
    expect(bye).toContainEqual({ type: "forget_card" });
    expect(ofType(bye, "speak")[0]!.text).toMatch(/still cannot reach/);
    s.spoke();
    expect(recordOf(s).status).toBe("payment_failed");
  });

  it("confirmation's answer lost: the retry confirms the same payment again (fresh key), never prepares a second", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    s.send({ type: "payment_prepared", paymentId: "pi_7", brand: "visa", last4: "4242", at: s.now });
    s.send({ type: "payment_unavailable", paymentId: "pi_7", at: s.now });
    expect(ofType(s.press("1"), "confirm_payment")).toEqual([
      { type: "confirm_payment", paymentId: "pi_7", idempotencyKey: "session-1:pi:1:t1:confirm" },
    ]);
    expect(ofType(s.sent, "prepare_payment")).toHaveLength(1);
  });

  it("confirmation's answer lost and the caller gives up: that payment is released at the end", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    s.send({ type: "payment_prepared", paymentId: "pi_7", brand: "visa", last4: "4242", at: s.now });
    s.send({ type: "payment_unavailable", paymentId: "pi_7", at: s.now });
    s.press("2");
    s.spoke();
    expect(ofType(s.sent, "release_payment")).toEqual([
      { type: "release_payment", paymentId: "pi_7", idempotencyKey: "pi_7:release" },
    ]);
    moneySettles(s);
    expect(recordOf(s)).toMatchObject({ status: "payment_failed", amount: 0 });
    expect(recordOf(s).payments).toContainEqual(
      expect.objectContaining({ paymentId: "pi_7", kind: "release", status: "released" }),
    );
  });

  it("the caller leaves while the card is being prepared: the prepared payment is released", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    expect(s.hungUp()).toEqual([]);
    const settled = s.send({
      type: "payment_prepared",
      paymentId: "pi_8",
      brand: "visa",
      last4: "4242",
      at: s.now,
    });
    expect(ofType(settled, "confirm_payment")).toEqual([]);
    expect(ofType(settled, "release_payment")).toEqual([
      { type: "release_payment", paymentId: "pi_8", idempotencyKey: "pi_8:release" },
    ]);
  });

  it("card data lost by the shell: asks for the card again under a new attempt", () => {
    const s = keyInCard(acceptTerms(adviceCall(PER_MINUTE)));
    const again = s.send({ type: "card_data_lost", at: s.now });
    expect(ofType(again, "gather")[0]!.prompt).toMatch(/^Sorry, we need your card details again\./);
    keyInCard(s);
    expect(ofType(s.sent, "prepare_payment").at(-1)!.idempotencyKey).toBe("session-1:pi:2");
  });
});

describe("advice line, per minute: metering", () => {
  it("warns both parties a minute before the limit, cuts off at it, and captures what the hold covers", () => {
    const s = talking();
    const talkStart = s.now;
    expect(s.fire("warning")).toEqual([
      { type: "speak", leg: CALLER_LEG, text: "This call will end in 1 minute.", targetLegs: "both" },
    ]);
    const cut = s.fire("cutoff");
    expect(s.now).toBe(talkStart + LIMIT_MS);
    expect(ofType(cut, "hangup")).toEqual([
      { type: "hangup", leg: CALLER_LEG },
      { type: "hangup", leg: agentLeg() },
    ]);
    s.wait(1_500);
    expect(ofType(s.hungUp(agentLeg(), "agent:a1"), "hangup")).toEqual([]);
    const end = s.hungUp();
    expect(ofType(end, "capture_payment")[0]!.amount).toBe(4975);
    moneySettles(s);
    expect(recordOf(s)).toMatchObject({
      billableSeconds: 1500,
      amount: 4975,
      hangupCause: "time_limit",
      endedBy: "system",
    });
  });

  it("settles at the limit if no hang-up is reported after the cutoff", () => {
    const s = talking();
    s.fire("cutoff");
    s.fire("hangup_wait");
    moneySettles(s);
    expect(recordOf(s)).toMatchObject({ billableSeconds: 1500, amount: 4975, status: "completed" });
  });

  it.each([
    [60_000, 60, 199],
    [60_999, 60, 199],
    [61_000, 120, 398],
    [0, 0, 0],
  ])("a hang-up after %i ms of talk bills %i s = %i cents", (talkMs, billable, amount) => {
    const s = talking();
    s.wait(talkMs);
    callerEnds(s);
    expect(recordOf(s)).toMatchObject({ billableSeconds: billable, amount });
    if (amount === 0) {
      expect(ofType(s.sent, "cancel_payment")).toEqual([
        { type: "cancel_payment", paymentId: "pi_1", idempotencyKey: "pi_1:cancel" },
      ]);
    }
  });

  it("bridged before the rep answered: talk starts at the answer, not the bridge", () => {
    const s = approve(keyInCard(acceptTerms(adviceCall(PER_MINUTE))));
    s.send({ type: "agent_reserved", agentId: "a1", destination: "+15550000001", name: "Anna", at: s.now });
    s.bridged(CALLER_LEG, "caller");
    expect(s.state.phase).toBe("connecting");
    s.wait(5_000);
    const answeredAt = s.now;
    expect(s.answered(agentLeg(), "agent:a1")).not.toContainEqual(
      expect.objectContaining({ type: "bridge" }),
    );
    expect(s.state.talk?.startedAt).toBe(answeredAt);
    s.wait(60_000);
    callerEnds(s);
    expect(recordOf(s)).toMatchObject({ talkStartedAt: answeredAt, billableSeconds: 60, amount: 199 });
  });

  it("the rep hanging up ends the call for the caller too and bills the talk", () => {
    const s = talking();
    s.wait(30_000);
    const end = s.hungUp(agentLeg(), "agent:a1");
    expect(end).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    s.wait(400);
    s.hungUp(); // the caller's leg follows
    moneySettles(s);
    expect(recordOf(s)).toMatchObject({ status: "completed", amount: 199, endedBy: "agent" });
  });

  it("the same event twice never captures twice", () => {
    const s = talking();
    s.wait(90_000);
    const hangup = {
      type: "leg_hung_up",
      leg: CALLER_LEG,
      role: "caller",
      cause: "normal_clearing",
      at: s.now,
    } as const;
    s.send(hangup);
    expect(s.send(hangup)).toEqual([]);
    s.send({ ...hangup, leg: agentLeg(), role: "agent:a1" });
    s.send({ ...hangup, leg: agentLeg(), role: "agent:a1" });
    s.send({ type: "timer_fired", name: "cutoff", at: s.now });
    const captured = {
      type: "payment_settled",
      operation: "capture",
      paymentId: "pi_1",
      amount: 398,
      outcome: "done",
      at: s.now,
    } as const;
    s.send(captured);
    s.send(captured);
    s.send({ type: "call_settled", at: s.now });
    s.send({ type: "call_settled", at: s.now });
    expect(ofType(s.sent, "capture_payment")).toHaveLength(1);
    expect(ofType(s.sent, "record_call")).toHaveLength(1);
  });

  it("a capture Stripe refuses is a result: the record says refused, with its code, and nothing collected", () => {
    const s = talking();
    s.wait(90_000);
    s.hungUp();
    repFollows(s);
    s.send({
      type: "payment_refused",
      operation: "capture",
      paymentId: "pi_1",
      code: "charge_expired_for_capture",
      at: s.now,
    });
    expect(recordOf(s)).toMatchObject({ status: "completed", billableSeconds: 120, amount: 0 });
    expect(recordOf(s).payments.at(-1)).toMatchObject({
      kind: "capture",
      status: "refused",
      code: "charge_expired_for_capture",
    });
  });

  it("a repeated tick or warning does not count or speak twice", () => {
    const s = talking();
    const tick = s.fire("tick");
    expect(s.send({ type: "timer_fired", name: "tick", at: s.now })).toEqual(tick);
    expect(s.state.talk?.minutes).toBe(1);
    s.fire("warning");
    expect(s.send({ type: "timer_fired", name: "warning", at: s.now })).toEqual([]);
  });
});
