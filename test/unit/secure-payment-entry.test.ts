/**
 * The caller's entries in a secure payment: the amount confirmed or rejected, each card field
 * confirmed or entered again, invalid entries asked again with the reason, too many tries, 60 s
 * without a key, and `*` cancelling at every step. Every early end is recorded, charges nothing
 * and returns the caller to the agent.
 */
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import {
  AGENT,
  CARD,
  detailOf,
  heard,
  isolate,
  recordsOf,
  request,
  talking,
  toCard,
  type PaymentScript,
} from "./support/secure-payment-script";

const FIELDS = ["number", "expiry", "cvc", "zip"] as const;
type Field = (typeof FIELDS)[number];

/** Keys the card fields before `field`, confirming each: the caller is at `field`'s prompt. */
function upTo(s: PaymentScript, field: Field): PaymentScript {
  for (const f of FIELDS.slice(0, FIELDS.indexOf(field))) {
    s.press(CARD[f]);
    s.press("1");
  }
  return s;
}

/** Nothing charged, one record with this reason, and the caller told and bridged back. */
function endedWithout(s: PaymentScript, reason: string) {
  expect(ofType(s.sent, "prepare_payment")).toEqual([]);
  expect(recordsOf(s)).toEqual([expect.objectContaining({ status: "failed", reason, paymentId: null })]);
  expect(ofType(s.sent, "forget_card").length).toBeGreaterThan(0);
  s.spoke();
  expect(s.sent).toContainEqual({ type: "bridge", leg: CALLER_LEG, other: AGENT, parkAfterUnbridge: "self" });
}

describe("the amount", () => {
  it("2 rejects it: nothing is asked for the card", () => {
    const s = talking();
    request(s);
    isolate(s);
    const said = s.press("2");
    expect(ofType(said, "speak")[0]?.text).toBe(
      "You rejected the amount. You have not been charged. Returning you to your agent now.",
    );
    expect(ofType(s.sent, "hold_card_field")).toEqual([]);
    endedWithout(s, "amount_rejected");
    expect(detailOf(s)).toMatchObject({ payment_reason: "amount_rejected", step_amount: "stopped" });
  });

  it("any other key is asked again; three wrong keys are too many tries", () => {
    const s = talking();
    request(s);
    isolate(s);
    expect(ofType(s.press("5"), "gather")[0]?.prompt).toMatch(/^Please press 1 or 2\. Your agent/);
    s.press("7");
    s.press("9");
    endedWithout(s, "too_many_tries");
  });
});

describe("each card field", () => {
  it.each(FIELDS)("%s: 2 asks for it again, then 1 moves on", (field) => {
    const s = upTo(toCard(talking()), field);
    s.press(CARD[field]);
    const again = s.press("2");
    expect(ofType(again, "gather")).toHaveLength(1);
    expect(detailOf(s)[`step_${field}`]).toBe("entering");
    s.press(CARD[field]);
    s.press("1");
    expect(detailOf(s)[`step_${field}`]).toBe("complete");
    expect(ofType(s.sent, "hold_card_field").filter((c) => c.field === field)).toHaveLength(2);
  });

  it.each([
    ["number", "4242424242424241", "That card number is not valid."],
    ["expiry", "1320", "That is not a valid expiry date."],
    ["expiry", "0120", "That expiry date is in the past."],
    ["cvc", "1234", "That security code should have 3 digits."],
    ["cvc", "12", "That entry was not valid."],
    ["zip", "941071", "That zip code should have 5 digits."],
  ] as const)("%s %s is refused with the reason and asked again", (field, digits, reason) => {
    const s = upTo(toCard(talking()), field);
    const again = s.press(digits);
    expect(ofType(again, "gather")[0]?.prompt.startsWith(reason)).toBe(true);
    expect(ofType(s.sent, "hold_card_field").filter((c) => c.field === field)).toEqual([]);
  });

  it("three invalid entries of a field are too many tries", () => {
    const s = toCard(talking());
    for (let i = 0; i < 3; i++) s.press("4242424242424241");
    endedWithout(s, "too_many_tries");
    expect(recordsOf(s)[0]).toMatchObject({ stoppedAt: "number", stepsCompleted: 1 });
    expect(s.sent).toContainEqual({ type: "log_sensitive", on: false });
  });
});

describe("60 seconds without a key after a prompt", () => {
  it("every prompt listens 60 s", () => {
    const s = talking();
    const from = s.sent.length;
    upTo(toCard(s), "zip");
    const gathers = ofType(s.sent.slice(from), "gather");
    expect(gathers.length).toBeGreaterThan(6);
    expect(new Set(gathers.map((g) => g.timeoutMs))).toEqual(new Set([60_000]));
  });

  it("at the amount: the payment stops", () => {
    const s = talking();
    request(s);
    isolate(s);
    s.wait(60_000);
    const said = s.silence();
    expect(ofType(said, "speak")[0]?.text).toMatch(/^We did not hear from you/);
    endedWithout(s, "timed_out");
  });

  it.each(FIELDS)("at the %s: the payment stops and the digits so far are forgotten", (field) => {
    const s = upTo(toCard(talking()), field);
    s.silence();
    endedWithout(s, "timed_out");
    expect(recordsOf(s)[0]?.stoppedAt).toBe(field);
    expect(s.sent.at(-1)).not.toEqual({ type: "log_sensitive", on: true });
    expect(s.sent).toContainEqual({ type: "log_sensitive", on: false });
  });

  it("at a confirmation (1 or 2): the payment stops", () => {
    const s = toCard(talking());
    s.press(CARD.number);
    s.silence();
    endedWithout(s, "timed_out");
  });

  it("a prompt whose result Telnyx never reports is stopped by our backstop", () => {
    const s = toCard(talking());
    const stopped = s.fire("sp_input");
    expect(stopped).toContainEqual({ type: "stop_gather", leg: CALLER_LEG });
    endedWithout(s, "timed_out");
  });
});

describe("* cancels at any point and returns the caller to the agent", () => {
  it("at the amount", () => {
    const s = talking();
    request(s);
    isolate(s);
    s.press("*");
    endedWithout(s, "cancelled_by_caller");
    expect(recordsOf(s)[0]?.stoppedAt).toBe("amount");
  });

  it.each(FIELDS)("at the %s", (field) => {
    const s = upTo(toCard(talking()), field);
    const said = s.press("*");
    expect(ofType(said, "speak")[0]?.text).toBe(
      "You cancelled the payment. You have not been charged. Returning you to your agent now.",
    );
    endedWithout(s, "cancelled_by_caller");
    expect(recordsOf(s)[0]?.stoppedAt).toBe(field);
    expect(detailOf(s)[`step_${field}`]).toBe("stopped");
  });

  it("at a confirmation", () => {
    const s = toCard(talking());
    s.press(CARD.number);
    s.press("*");
    endedWithout(s, "cancelled_by_caller");
  });

  it("typed inside an entry (4242*)", () => {
    const s = toCard(talking());
    s.press("4242*");
    endedWithout(s, "cancelled_by_caller");
    expect(heard(s).join(" ")).not.toContain("4242*");
  });
});
