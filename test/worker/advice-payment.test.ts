/**
 * Taking the card on an advice line, end to end: the IVR's own checks (Luhn, expiry), Stripe's
 * declines through the stand-in (customer service transfer or goodbye), a Stripe outage with one
 * retry on the same idempotency key (a lost answer included).
 */
import { describe, expect, it } from "vitest";
import type { AdviceConfigInput } from "../../src/products/advice/config";
import { TestCall } from "./support/call";
import { acceptTerms, card, CARDS, keyInCard, payloadOf } from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { CONFIRM, INTENTS, METHODS } from "./support/advice-stripe";
import { callRecord, paymentsOf } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

const lastPrompt = () => payloadOf(telnyx.ofAction("gather_using_speak").at(-1));
const lastSpeech = () => payloadOf(telnyx.ofAction("speak").at(-1));
const CS_NUMBER = "+15559990000";

async function callAtCardPrompt(config: AdviceConfigInput = PER_MINUTE, from = "+15557771000") {
  const line = await adviceLine(config);
  const call = new TestCall(from, line.number);
  await acceptTerms(call);
  return { line, call };
}

describe("the IVR's own card checks", () => {
  it("a number that fails Luhn is refused before Stripe; the caller re-enters and goes through", async () => {
    const { call } = await callAtCardPrompt();
    await call.gathered(CARDS.luhnFails);
    expect(lastPrompt()).toMatch(/^That card number is not valid\. Please enter your card number/);
    expect(stripe.exchanges).toHaveLength(0);
    await keyInCard(call, card(CARDS.visa));
    expect(stripe.all("POST", METHODS)).toHaveLength(1);
    expect(stripe.ok("POST", INTENTS)).toHaveLength(1);
    expect(lastSpeech()).toMatch(/your card is approved/);
    expect(telnyx.ofAction("dial")).toHaveLength(1);
  });

  it("an expiry date in the past is refused by the IVR and asked again", async () => {
    const { call } = await callAtCardPrompt();
    await call.gathered(CARDS.visa);
    await call.gathered("1");
    await call.gathered("0120");
    expect(lastPrompt()).toMatch(/^That expiry date is in the past\. Please enter the expiry date/);
    await call.gathered("1230");
    // Confirmed without repeating it: no expiry reaches durable state or Telnyx's TTS.
    expect(lastPrompt()).toBe("You entered the expiry date. Press 1 to confirm, or 2 to enter it again.");
  });

  it("an American Express card asks for a 4-digit code and is stored as amex / last 4", async () => {
    const { call } = await callAtCardPrompt();
    const amex = card(CARDS.amex);
    for (const digits of [amex.number, amex.expiry, amex.street, amex.zip]) {
      await call.gathered(digits);
      await call.gathered("1");
    }
    expect(lastPrompt()).toBe("Please enter the 4 digit security code on your card, then press pound.");
    expect(telnyx.ofAction("gather_using_speak").at(-1)?.body).toMatchObject({
      minimum_digits: 4,
      maximum_digits: 5, // four digits, or four and a closing pound
      terminating_digit: "#",
    });
    await call.gathered(amex.cvc);
    expect(stripe.ok("POST", INTENTS)).toHaveLength(1);
    await call.hangup(call.callerLeg, "caller");
    for (let i = 0; i < 3 && !(await callRecord(call.sessionId)); i++) await call.stub.idle();
    expect(await callRecord(call.sessionId)).toMatchObject({ cardBrand: "amex", cardLast4: "0005" });
  });
});

describe("declines at Stripe", () => {
  it("declined with a customer-service number: told, then transferred there; nothing held", async () => {
    const { line, call } = await callAtCardPrompt({ ...PER_MINUTE, customerServiceNumber: CS_NUMBER });
    await keyInCard(call, card(CARDS.declined));
    expect(lastPrompt()).toBe(
      "Sorry, your card was declined. Press 1 to try another card, or 2 to end the call.",
    );
    await call.gathered("2");
    expect(lastSpeech()).toBe("Sorry, your card was declined. We are transferring you to customer service.");
    expect(telnyx.ofAction("transfer")).toHaveLength(0);
    await call.speakEnded();
    const transfers = telnyx.ofAction("transfer");
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ leg: call.callerLeg, body: { to: CS_NUMBER, from: line.number } });
    expect(telnyx.ofAction("dial")).toHaveLength(0);
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "payment_failed",
      hangupCause: "transferred",
      amount: 0,
      paymentId: null,
    });
    // The declined attempt is a payment row: /payments shows every attempt Stripe saw.
    expect((await paymentsOf(call.sessionId)).map((p) => [p.kind, p.status, p.code])).toEqual([
      ["attempt", "failed", "generic_decline"],
    ]);
  });

  it("declined, then another card: the second card is held and the caller reaches a rep", async () => {
    const { call } = await callAtCardPrompt();
    await keyInCard(call, card(CARDS.declined));
    await call.gathered("1"); // try another card
    expect(lastPrompt()).toMatch(/^Please have your other card ready\. Please enter your card number/);
    await keyInCard(call, card(CARDS.visa));
    expect(lastSpeech()).toMatch(/your card is approved/);
    expect(stripe.all("POST", INTENTS).map((e) => e.idempotencyKey)).toEqual([
      `${call.sessionId}:pi:1`,
      `${call.sessionId}:pi:2`,
    ]);
    expect(telnyx.ofAction("dial")).toHaveLength(1);
  });

  it.each([
    ["generic decline", CARDS.declined],
    ["insufficient funds", CARDS.insufficientFunds],
    ["Stripe's expired_card", CARDS.expired],
    ["incorrect CVC", CARDS.incorrectCvc],
  ])("%s without a customer-service number: a message, then the call ends", async (_name, number) => {
    const { call } = await callAtCardPrompt();
    await keyInCard(call, card(number));
    await call.gathered("2"); // no other card
    expect(lastSpeech()).toBe("Sorry, your card was declined. You have not been charged. Goodbye.");
    expect(telnyx.ofAction("hangup")).toHaveLength(0);
    await call.speakEnded();
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([call.callerLeg]);
    expect(telnyx.ofAction("transfer")).toHaveLength(0);
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "payment_failed",
      amount: 0,
      paymentId: null,
    });
    expect((await paymentsOf(call.sessionId)).map((p) => [p.kind, p.status])).toEqual([
      ["attempt", "failed"],
    ]);
  });
});

describe("Stripe unavailable", () => {
  it.each([
    ["before Stripe saw the request", "before"],
    ["after Stripe made the hold but the answer was lost", "after"],
  ] as const)("a 503 %s: the caller retries with 1 and exactly one hold exists", async (_name, mode) => {
    const { call } = await callAtCardPrompt();
    stripe.failNext("POST", INTENTS, mode);
    await keyInCard(call, card(CARDS.visa));
    expect(lastPrompt()).toBe(
      "Sorry, we could not reach our card processor. You have not been charged. Press 1 to try again, or 2 to end the call.",
    );
    expect(stripe.ok("POST", INTENTS)).toHaveLength(0);
    await call.gathered("1");

    const attempts = stripe.all("POST", INTENTS);
    expect(attempts).toHaveLength(2);
    // A fresh key for the retry: under the old one Stripe may replay a saved 500 for ever.
    expect(attempts.map((a) => a.idempotencyKey)).toEqual([
      `${call.sessionId}:pi:1`,
      `${call.sessionId}:pi:1:t1`,
    ]);
    const held = stripe.ok("POST", INTENTS);
    expect(held).toHaveLength(1);
    const id = String(held[0]!.body!.id);
    expect(await stripe.intent(id)).toMatchObject({ status: "requires_capture", amount: 3000 });
    // An intent the lost answer created was never confirmed: no money was ever asked of the card.
    if (mode === "after")
      expect(await stripe.intent(String(attempts[0]!.body!.id))).toMatchObject({
        status: "requires_confirmation",
        amount_capturable: 0,
      });
    expect(stripe.ok("POST", CONFIRM)).toHaveLength(1);
    expect(lastSpeech()).toMatch(/your card is approved/);

    await call.hangup(call.callerLeg, "caller"); // while the rep rings
    expect(await stripe.intent(id)).toMatchObject({ status: "canceled" });
    expect(await callRecord(call.sessionId)).toMatchObject({ paymentId: id, amount: 0 });
  });

  it("a 500 Stripe saved under the first authorisation's key, then 'press 1 to try again': connected, with one hold", async () => {
    const { call } = await callAtCardPrompt();
    await stripe.savedFailureNext("/v1/payment_intents");
    await keyInCard(call, card(CARDS.visa));
    expect(lastPrompt()).toMatch(/could not reach our card processor/);
    await call.gathered("1");
    expect(lastSpeech()).toMatch(/your card is approved/);
    const attempts = stripe.all("POST", INTENTS);
    expect(attempts.map((a) => [a.idempotencyKey, a.status])).toEqual([
      [`${call.sessionId}:pi:1`, 500],
      [`${call.sessionId}:pi:1:t1`, 200],
    ]);
    expect(stripe.ok("POST", CONFIRM)).toHaveLength(1);
    expect(telnyx.ofAction("dial")).toHaveLength(1);
  });

  it("Stripe made the hold but the confirmation's answer was lost, then the caller ends the call: the hold is released", async () => {
    const { call } = await callAtCardPrompt();
    stripe.failNext("POST", CONFIRM, "after");
    await keyInCard(call, card(CARDS.visa));
    const lost = String(stripe.all("POST", INTENTS)[0]?.body?.id);
    expect(await stripe.intent(lost)).toMatchObject({ status: "requires_capture" });
    await call.gathered("2"); // "or 2 to end the call"
    await call.speakEnded();
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "payment_failed", amount: 0 });
    expect(await stripe.intent(lost)).toMatchObject({ status: "canceled" });
    // The record says why the caller's card may show a hold that came and went.
    expect((await paymentsOf(call.sessionId)).map((p) => [p.providerPaymentId, p.kind, p.amount])).toEqual([
      [lost, "release", 0],
    ]);
  });

  it("the intent's creation answer was lost: no money moved, so the caller who gives up holds nothing", async () => {
    const { call } = await callAtCardPrompt();
    stripe.failNext("POST", INTENTS, "after");
    await keyInCard(call, card(CARDS.visa));
    const created = String(stripe.all("POST", INTENTS)[0]?.body?.id);
    await call.gathered("2");
    await call.speakEnded();
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "payment_failed", amount: 0 });
    // Unconfirmed: no authorisation was ever asked of the card's issuer.
    expect(await stripe.intent(created)).toMatchObject({
      status: "requires_confirmation",
      amount_capturable: 0,
    });
    expect(stripe.all("POST", CONFIRM)).toHaveLength(0);
  });

  it("still unavailable on the retry: the caller is told nothing was charged, and the call ends", async () => {
    const { call } = await callAtCardPrompt();
    stripe.failNext("POST", INTENTS);
    stripe.failNext("POST", INTENTS);
    stripe.failNext("POST", INTENTS);
    await keyInCard(call, card(CARDS.visa));
    await call.gathered("1");
    await call.gathered("1");
    expect(lastSpeech()).toBe(
      "Sorry, we still cannot reach our card processor. You have not been charged. Goodbye.",
    );
    await call.speakEnded();
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([call.callerLeg]);
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "payment_failed", amount: 0 });
    expect(stripe.ok("POST", INTENTS)).toHaveLength(0);
  });
});
