/**
 * Card data lives only in the call object's memory. When the object restarts (crash, eviction)
 * mid-card or between the last digit and a (retried) authorisation, the caller is asked for the card
 * again and Stripe never sees a partial card. End to end through the real route and the stand-in.
 */
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import { acceptTerms, card, CARDS, keyInCard, loseMemory, payloadOf } from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { INTENTS } from "./support/advice-stripe";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

const lastPrompt = () => payloadOf(telnyx.ofAction("gather_using_speak").at(-1));
const lastSpeech = () => payloadOf(telnyx.ofAction("speak").at(-1));

async function callAtCardPrompt() {
  const line = await adviceLine(PER_MINUTE);
  const call = new TestCall("+15557775000", line.number);
  await acceptTerms(call);
  return { call };
}

describe("card data lost from memory", () => {
  it("the object restarts mid-card: after the last digit the caller is asked for the card again", async () => {
    const { call } = await callAtCardPrompt();
    const entry = card(CARDS.visa);
    for (const digits of [entry.number, entry.expiry]) {
      await call.gathered(digits);
      await call.gathered("1");
    }
    expect((await call.stub.inspect())?.heldInMemory).toBe(2);
    await loseMemory();
    expect((await call.stub.inspect())?.heldInMemory).toBe(0);
    for (const digits of [entry.street, entry.zip]) {
      await call.gathered(digits);
      await call.gathered("1");
    }
    await call.gathered(entry.cvc);
    expect(stripe.exchanges).toHaveLength(0);
    expect(lastPrompt()).toBe(
      "Sorry, we need your card details again. Please enter your card number, then press pound. Press star at any time to cancel.",
    );
    await keyInCard(call, entry);
    const held = stripe.ok("POST", INTENTS);
    expect(held.map((h) => h.idempotencyKey)).toEqual([`${call.sessionId}:pi:2`]);
    expect(lastSpeech()).toMatch(/your card is approved/);
  });

  it("lost between the last digit and the (retried) authorisation: asked again, never charged blind", async () => {
    const { call } = await callAtCardPrompt();
    stripe.failNext("POST", INTENTS);
    await keyInCard(call, card(CARDS.visa));
    expect((await call.stub.inspect())?.phase).toBe("retry_menu");
    await loseMemory();
    await call.gathered("1");
    expect(lastPrompt()).toMatch(/^Sorry, we need your card details again\. Please enter your card number/);
    expect(stripe.ok("POST", INTENTS)).toHaveLength(0);
    await keyInCard(call, card(CARDS.visa));
    expect(stripe.ok("POST", INTENTS).map((h) => h.idempotencyKey)).toEqual([`${call.sessionId}:pi:2`]);
  });
});
