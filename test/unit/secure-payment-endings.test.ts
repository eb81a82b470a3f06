/**
 * How else a secure payment ends: a declined card, Stripe unreachable, a restart that lost the
 * digits, the caller or the agent hanging up (before, and while, the charge is on its way), the
 * agent cancelling, the isolation never confirmed, and requests the call refuses (a second one
 * while one runs, amounts that are not positive or over the line's maximum, another currency).
 */
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import {
  AGENT,
  AS_AGENT,
  detailOf,
  isolate,
  keyCard,
  recordsOf,
  request,
  talking,
  toCard,
} from "./support/secure-payment-script";

const replyOf = (commands: { type: string }[]) =>
  ofType(commands as { type: "reply_action"; key: string; reply: unknown }[], "reply_action")[0]?.reply;

describe("Stripe's answer", () => {
  it("a decline is recorded with its code; the caller hears it and goes back to the agent", () => {
    const s = keyCard(toCard(talking()));
    s.send({ type: "payment_prepared", paymentId: "pi_d", brand: "visa", last4: "0002", at: s.now });
    const said = s.send({
      type: "payment_declined",
      reason: "declined",
      code: "generic_decline",
      paymentId: "pi_d",
      at: s.now,
    });
    expect(ofType(said, "speak")[0]?.text).toBe(
      "Your card was declined. You have not been charged. Returning you to your agent now.",
    );
    expect(recordsOf(s)).toEqual([
      expect.objectContaining({
        status: "failed",
        reason: "declined",
        declineCode: "generic_decline",
        paymentId: "pi_d",
        cardBrand: null,
        cardLast4: null,
      }),
    ]);
    expect(s.spoke()).toContainEqual(expect.objectContaining({ type: "bridge", other: AGENT }));
  });

  it("unreachable after the card was set up: what it may have done is released before the record", () => {
    const s = keyCard(toCard(talking()));
    s.send({ type: "payment_prepared", paymentId: "pi_u", brand: "visa", last4: "4242", at: s.now });
    const release = s.send({ type: "payment_unavailable", paymentId: "pi_u", at: s.now });
    expect(release).toContainEqual({
      type: "release_payment",
      paymentId: "pi_u",
      idempotencyKey: "pi_u:release",
    });
    expect(recordsOf(s)).toEqual([]);
    s.send({
      type: "payment_settled",
      operation: "release",
      paymentId: "pi_u",
      amount: 0,
      outcome: "done",
      at: s.now,
    });
    expect(recordsOf(s)).toEqual([
      expect.objectContaining({ reason: "processor_unavailable", paymentId: "pi_u" }),
    ]);
  });

  it("unreachable before anything was created: recorded as such, nothing to release", () => {
    const s = keyCard(toCard(talking()));
    s.send({ type: "payment_unavailable", at: s.now });
    expect(ofType(s.sent, "release_payment")).toEqual([]);
    expect(recordsOf(s)).toEqual([expect.objectContaining({ reason: "processor_unavailable" })]);
  });

  it("a restart lost the digits before Stripe had them: the caller keys the card again, with a new key", () => {
    const s = keyCard(toCard(talking()));
    const again = s.send({ type: "card_data_lost", at: s.now });
    expect(ofType(again, "gather")[0]?.prompt).toMatch(/^Sorry, we need to ask for your card details again/);
    keyCard(s);
    expect(ofType(s.sent, "prepare_payment").map((c) => c.idempotencyKey)).toEqual([
      "sp_session-1_1:pi:1",
      "sp_session-1_1:pi:2",
    ]);
  });
});

describe("a hang-up", () => {
  it("caller mid-capture: nothing is charged, the record says so, and the call ends as any call does", () => {
    const s = toCard(talking());
    s.press("4242424242424242");
    const end = s.hungUp();
    expect(end).toContainEqual({ type: "forget_card" });
    expect(end).toContainEqual({ type: "log_sensitive", on: false });
    expect(end).toContainEqual({ type: "hangup", leg: AGENT });
    expect(recordsOf(s)).toEqual([
      expect.objectContaining({
        status: "failed",
        reason: "caller_hung_up",
        leftBy: "caller",
        stoppedAt: "number",
      }),
    ]);
    s.hungUp(AGENT, "agent:a1");
    const [call] = ofType(s.sent, "record_call");
    expect(call?.record).toMatchObject({ status: "completed", endedBy: "caller", billableSeconds: 30 });
    expect(ofType(s.sent, "prepare_payment")).toEqual([]);
  });

  it("agent mid-capture: the caller's prompt is stopped, they hear why, then the call ends", () => {
    const s = toCard(talking());
    const left = s.hungUp(AGENT, "agent:a1");
    expect(left).toContainEqual({ type: "stop_gather", leg: CALLER_LEG });
    expect(ofType(left, "speak")[0]?.text).toBe(
      "Your agent has left the call. You have not been charged. Goodbye.",
    );
    expect(ofType(left, "hangup")).toEqual([]);
    expect(recordsOf(s)).toEqual([expect.objectContaining({ reason: "agent_hung_up", leftBy: "agent" })]);
    // Telnyx ends the stopped gather; it is not a caller's entry.
    s.press("", "cancelled");
    expect(ofType(s.spoke(), "hangup")).toEqual([{ type: "hangup", leg: CALLER_LEG }]);
    s.hungUp();
    expect(ofType(s.sent, "record_call")[0]?.record).toMatchObject({ endedBy: "agent" });
  });

  it("caller while the charge is on its way: the call waits for Stripe, and the record says it went through", () => {
    const s = keyCard(toCard(talking()));
    const waits = s.hungUp();
    expect(ofType(waits, "hangup")).toEqual([]);
    expect(ofType(s.sent, "record_call")).toEqual([]);
    s.send({ type: "payment_prepared", paymentId: "pi_late", brand: "visa", last4: "4242", at: s.now });
    const done = s.send({ type: "payment_charged", paymentId: "pi_late", amount: 1250, at: s.now });
    expect(recordsOf(s)).toEqual([
      expect.objectContaining({ status: "succeeded", leftBy: "caller", paymentId: "pi_late" }),
    ]);
    expect(done).toContainEqual({ type: "hangup", leg: AGENT });
    expect(ofType(done, "speak")).toEqual([]);
  });

  it("agent while the charge is on its way: the caller hears it went through, then why the call ends", () => {
    const s = keyCard(toCard(talking()));
    expect(ofType(s.hungUp(AGENT, "agent:a1"), "speak")).toEqual([]);
    s.send({ type: "payment_prepared", paymentId: "pi_2", brand: "visa", last4: "4242", at: s.now });
    const done = s.send({ type: "payment_charged", paymentId: "pi_2", amount: 1250, at: s.now });
    expect(ofType(done, "speak").map((c) => c.text)).toEqual([
      "Thank you. Your payment of 12.50 US dollars was successful. Your agent has left the call. Goodbye.",
    ]);
    expect(recordsOf(s)).toEqual([expect.objectContaining({ status: "succeeded", leftBy: "agent" })]);
  });

  it("agent while the result is being told: the caller hears why the call ends", () => {
    const s = keyCard(toCard(talking()));
    s.send({ type: "payment_prepared", paymentId: "pi_1", brand: "visa", last4: "4242", at: s.now });
    s.send({ type: "payment_charged", paymentId: "pi_1", amount: 1250, at: s.now });
    const left = s.hungUp(AGENT, "agent:a1");
    // The payment went through: the caller must not hear "you have not been charged".
    expect(ofType(left, "speak")[0]?.text).toBe(
      "Your agent has left the call. Your payment went through. Goodbye.",
    );
    s.spoke(); // the result
    expect(ofType(s.sent, "hangup")).toEqual([]);
    expect(s.spoke()).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    expect(recordsOf(s)).toHaveLength(1);
  });
});

describe("the agent's side", () => {
  it("cancels before the caller confirmed the amount; not after", () => {
    const s = talking();
    request(s);
    isolate(s);
    const cancel = s.act("cancel_payment_request", { request_id: "sp_session-1_1" }, "c-1", AS_AGENT);
    expect(cancel).toContainEqual({ type: "stop_gather", leg: CALLER_LEG });
    expect(replyOf(cancel)).toMatchObject({
      ok: true,
      result: { status: "failed", reason: "cancelled_by_agent" },
    });
    expect(recordsOf(s)).toEqual([expect.objectContaining({ reason: "cancelled_by_agent" })]);

    const t = toCard(talking());
    const late = t.act("cancel_payment_request", { request_id: "sp_session-1_1" }, "c-2", AS_AGENT);
    expect(replyOf(late)).toMatchObject({ ok: false, status: 409 });
    expect(recordsOf(t)).toEqual([]);
  });

  it("a second request while one runs is refused (409); the first goes on", () => {
    const s = talking();
    request(s);
    const second = request(s, { item: "Other", amount: 100, currency: "usd" }, "req-2");
    expect(replyOf(second)).toMatchObject({ ok: false, status: 409, title: "Payment in progress" });
    expect(ofType(second, "enqueue")).toEqual([]);
    expect(detailOf(s)).toMatchObject({ payment_id: "sp_session-1_1" });
  });

  it.each([
    [{ item: "x", amount: 0, currency: "usd" }, "amount", /positive/],
    [{ item: "x", amount: 12.5, currency: "usd" }, "amount", /whole number/],
    [{ item: "x", amount: 1_000_001, currency: "usd" }, "amount", /at most 1000000 \(10000\.00 USD\)/],
    [{ item: "x", amount: 100, currency: "eur" }, "currency", /line's currency, USD/],
    [{ item: " ", amount: 100, currency: "usd" }, "item", /required/],
  ])("%o is refused naming %s", (params, field, message) => {
    const s = talking();
    const refused = request(s, params);
    expect(replyOf(refused)).toMatchObject({
      ok: false,
      status: 422,
      errors: [{ field, message: expect.stringMatching(message) as unknown }],
    });
    expect(ofType(refused, "enqueue")).toEqual([]);
    expect(s.state.talk?.pausedSince).toBeNull();
  });

  it("the line's own maximum, and a line with secure payments off", () => {
    const low = talking({ securePayments: { maxAmount: 500 } });
    expect(replyOf(request(low))).toMatchObject({ status: 422, errors: [{ field: "amount" }] });
    const off = talking({ securePayments: { enabled: false } });
    expect(replyOf(request(off))).toMatchObject({ status: 409 });
  });

  it("Telnyx never confirms the private queue: the payment does not start and the caller is told", () => {
    const s = talking();
    request(s);
    const stopped = s.fire("sp_isolate");
    expect(ofType(stopped, "gather")).toEqual([]);
    expect(recordsOf(s)).toEqual([expect.objectContaining({ reason: "not_isolated" })]);
    const back = s.spoke();
    expect(back).toContainEqual(expect.objectContaining({ type: "bridge" }));
    expect(back).not.toContainEqual({ type: "record_resume", leg: CALLER_LEG });
  });
});
