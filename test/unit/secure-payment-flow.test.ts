/**
 * A secure payment from the agent's request to the caller back with the agent: the agent's leg is
 * isolated before the first prompt, the caller confirms the amount and keys each card field, Stripe
 * charges it, the caller hears the result, the legs are bridged again and talk is billed without
 * the payment's minutes. Exact commands where the order matters.
 */
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import {
  AGENT,
  CARD,
  charge,
  detailOf,
  heard,
  isolate,
  keyCard,
  recordsOf,
  request,
  talking,
  toCard,
} from "./support/secure-payment-script";

describe("a secure payment that goes through", () => {
  it("isolates the agent first: nothing is said to the caller until Telnyx reports the private queue", () => {
    const s = talking();
    const asked = request(s);
    expect(asked).toEqual([
      { type: "clear_timer", name: "warning" },
      { type: "clear_timer", name: "funds" },
      { type: "clear_timer", name: "cutoff" },
      { type: "enqueue", leg: AGENT, queue: "sp_session-1_1", maxWaitSecs: 3600 },
      { type: "set_timer", name: "sp_isolate", at: s.now + 10_000 },
      expect.objectContaining({ type: "reply_action", key: "req-1" }),
    ]);
    expect(ofType(asked, "reply_action")[0]?.reply).toMatchObject({
      ok: true,
      result: { id: "sp_session-1_1", status: "in_progress", amount: 1250, currency: "usd" },
    });
    expect(ofType(asked, "gather")).toEqual([]);
    expect(detailOf(s)).toMatchObject({ payment_stage: "isolating", step_amount: "waiting" });

    const first = isolate(s);
    expect(first.slice(0, 2)).toEqual([
      { type: "clear_timer", name: "sp_isolate" },
      { type: "record_pause", leg: CALLER_LEG },
    ]);
    const [prompt] = ofType(first, "gather");
    expect(prompt).toMatchObject({ leg: CALLER_LEG, minDigits: 1, maxDigits: 1, timeoutMs: 60_000 });
    expect(prompt!.prompt).toContain("Annual plan: 12.50 US dollars");
    expect(prompt!.prompt).toContain("Press 1 to confirm the amount, or 2 to reject it");
    expect(detailOf(s)).toMatchObject({ step_amount: "entering", step_number: "waiting" });
  });

  it("asks for number, expiry, CVC and ZIP, each confirmed, then charges at once (automatic capture)", () => {
    const s = toCard(talking());
    expect(detailOf(s)).toMatchObject({ step_amount: "complete", step_number: "entering" });
    const start = s.sent.length;
    keyCard(s);
    const prompts = heard(s, start);
    expect(prompts.filter((p) => p.includes("Press 1 to confirm, or 2 to enter it again"))).toHaveLength(4);
    expect(prompts.join(" ")).toContain("a card ending in 4 2 4 2");
    expect(prompts.findIndex((p) => p.includes("expiry"))).toBeLessThan(
      prompts.findIndex((p) => p.includes("security code")),
    );
    expect(prompts.findIndex((p) => p.includes("security code"))).toBeLessThan(
      prompts.findIndex((p) => p.includes("zip code")),
    );
    expect(ofType(s.sent, "prepare_payment")).toEqual([
      {
        type: "prepare_payment",
        amount: 1250,
        currency: "usd",
        capture: "automatic",
        idempotencyKey: "sp_session-1_1:pi:1",
        description: "Annual plan",
      },
    ]);
    // The card's digits went to memory only (hold_card_field), never into a prompt.
    expect(ofType(s.sent, "hold_card_field").map((c) => c.field)).toEqual(["number", "expiry", "cvc", "zip"]);
    expect(prompts.join(" ")).not.toContain(CARD.number);
    expect(detailOf(s)).toMatchObject({ payment_stage: "charging", step_zip: "complete" });
  });

  it("records the charge, tells the caller, bridges back to the agent and resumes talk at the bridge", () => {
    const s = keyCard(toCard(talking()));
    s.send({ type: "payment_prepared", paymentId: "pi_sp_1", brand: "visa", last4: "4242", at: s.now });
    expect(ofType(s.sent, "confirm_payment")).toEqual([
      { type: "confirm_payment", paymentId: "pi_sp_1", idempotencyKey: "pi_sp_1:confirm" },
    ]);
    const result = s.send({ type: "payment_charged", paymentId: "pi_sp_1", amount: 1250, at: s.now });
    expect(recordsOf(s)).toEqual([
      expect.objectContaining({
        id: "sp_session-1_1",
        status: "succeeded",
        reason: null,
        amount: 1250,
        currency: "usd",
        paymentId: "pi_sp_1",
        cardBrand: "visa",
        cardLast4: "4242",
        agentId: "a1",
        item: "Annual plan",
        requestedBy: "agent",
        stepsCompleted: 5,
      }),
    ]);
    expect(ofType(result, "speak").map((c) => c.text)).toEqual([
      "Thank you. Your payment of 12.50 US dollars was successful. Returning you to your agent now.",
    ]);
    expect(ofType(result, "bridge")).toEqual([]);
    const back = s.spoke();
    expect(back).toContainEqual({ type: "bridge", leg: CALLER_LEG, other: AGENT, parkAfterUnbridge: "self" });
    expect(back).toContainEqual({ type: "record_resume", leg: CALLER_LEG });
    expect(s.state.talk?.pausedSince).not.toBeNull();
    s.bridged(CALLER_LEG, "caller");
    expect(s.state.talk?.pausedSince).toBeNull();
    expect(detailOf(s)).toMatchObject({
      payment_status: "succeeded",
      payment_card_brand: "visa",
      payment_card_last4: "4242",
      step_cvc: "complete",
    });
  });

  it("bills the talk without the minutes the payment took", () => {
    const s = talking(); // 30 s of talk so far
    toCard(s);
    keyCard(s);
    charge(s);
    s.spoke();
    s.wait(2_000);
    s.bridged(CALLER_LEG, "caller");
    s.wait(20_000);
    s.hungUp();
    s.hungUp(AGENT, "agent:a1");
    const [record] = ofType(s.sent, "record_call");
    expect(record?.record.billableSeconds).toBe(50);
  });

  it("a repeated Telnyx event or Stripe answer changes nothing: one prompt, one charge, one record", () => {
    const s = talking();
    request(s);
    isolate(s);
    expect(isolate(s)).toEqual([]);
    s.press("1");
    keyCard(s);
    charge(s);
    expect(charge(s)).toEqual([]);
    expect(recordsOf(s)).toHaveLength(1);
    expect(ofType(s.sent, "confirm_payment")).toHaveLength(1);
  });

  it("a second payment on the same call gets the next transaction id and key", () => {
    const s = talking();
    toCard(s);
    keyCard(s);
    charge(s);
    s.spoke();
    s.bridged(CALLER_LEG, "caller");
    const again = request(s, { item: "Add-on", amount: 300, currency: "usd" }, "req-2");
    expect(ofType(again, "enqueue")).toEqual([expect.objectContaining({ queue: "sp_session-1_2" })]);
    isolate(s, "sp_session-1_2");
    s.press("1");
    keyCard(s);
    expect(ofType(s.sent, "prepare_payment").map((c) => c.idempotencyKey)).toEqual([
      "sp_session-1_1:pi:1",
      "sp_session-1_2:pi:1",
    ]);
  });
});
