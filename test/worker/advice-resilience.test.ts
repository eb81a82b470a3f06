/**
 * Failures in the middle of an advice call that a review found could cost the caller money or
 * leave them in silence: the object restarting while the hold is confirmed, the customer-service
 * transfer's own leg, events that arrive before the call, and a speak Telnyx never ran.
 */
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { encodeClientState } from "../../src/telnyx/client-state";
import { TestCall } from "./support/call";
import { acceptTerms, card, CARDS, keyInCard, loseMemory, payloadOf } from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { CONFIRM, INTENTS, METHODS } from "./support/advice-stripe";
import { callRecord } from "./support/seed";
import { envelope, postWebhook } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

describe("the object restarts while the hold is being confirmed", () => {
  it("the retry confirms the same payment without the card (Stripe: already held): one hold, no second card entry", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15557775001", line.number);
    await acceptTerms(call);
    stripe.failNext("POST", CONFIRM, "after"); // Stripe placed the hold; the answer never came back
    await keyInCard(call, card(CARDS.visa));
    const pi = String(stripe.ok("POST", INTENTS)[0]?.body?.id);
    expect(await stripe.intent(pi)).toMatchObject({ status: "requires_capture" });

    await loseMemory(); // card digits gone from memory; nothing else is
    await call.gathered("1"); // "press 1 to try again"
    expect(payloadOf(telnyx.ofAction("speak").at(-1))).toMatch(/your card is approved/);
    expect(stripe.all("POST", METHODS)).toHaveLength(1);
    expect(stripe.ok("POST", INTENTS)).toHaveLength(1);
    expect(stripe.all("POST", CONFIRM).map((e) => e.idempotencyKey)).toEqual([
      `${call.sessionId}:pi:1:confirm`,
      `${call.sessionId}:pi:1:t1:confirm`,
    ]);
    expect(await stripe.intent(pi)).toMatchObject({ status: "requires_capture", amount_capturable: 3000 });
    expect(telnyx.ofAction("dial")).toHaveLength(1);
  });
});

describe("the customer-service transfer", () => {
  it("the leg our transfer creates is left to talk, not hung up as a stray rep", async () => {
    const line = await adviceLine({ ...PER_MINUTE, customerServiceNumber: "+15559990000" });
    const call = new TestCall("+15557775002", line.number);
    await acceptTerms(call);
    await keyInCard(call, card(CARDS.declined));
    await call.gathered("2"); // "press 1 to try another card, or 2 to end the call"
    await call.speakEnded(); // "transferring you to customer service"
    expect(telnyx.ofAction("transfer")).toHaveLength(1);
    expect(telnyx.ofAction("transfer")[0]!.body.target_leg_client_state).toBe(
      encodeClientState({ s: call.sessionId, r: "transfer:service" }),
    );
    const serviceLeg = "v3:customer-service-leg";
    const role = "transfer:service";
    await call.send("call.initiated", serviceLeg, role, { direction: "outgoing", state: "bridging" });
    await call.send("call.answered", serviceLeg, role);
    expect(telnyx.ofAction("hangup")).toEqual([]);
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "payment_failed" });
  });
});

describe("events before the call's first event", () => {
  it("once the call starts, the early-event expiry no longer applies to it", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15557775003", line.number);
    const early = envelope("call.answered", {
      call_control_id: call.callerLeg,
      call_leg_id: call.callerLeg,
      call_session_id: call.sessionId,
      client_state: encodeClientState({ s: call.sessionId, r: "caller" }),
      from: call.from,
      to: call.to,
    });
    expect(await (await postWebhook(early)).json()).toMatchObject({ result: "held" });
    await call.start();
    const timers = await runInDurableObject(call.stub, (_o, state) =>
      state.storage.sql
        .exec<{ name: string }>("SELECT name FROM timers")
        .toArray()
        .map((t) => t.name),
    );
    expect(timers).not.toContain("__early");
    expect((await call.stub.inspect())?.phase).toBe("welcome");
  });
});

describe("a speak Telnyx refuses", () => {
  it("the flow is told the speech ended, so the caller still hears the terms", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15557775004", line.number);
    telnyx.failNext("speak", 422, "10015"); // e.g. an invalid voice: final, never retried
    await call.start();
    await call.answered();
    expect(telnyx.ofAction("speak")).toHaveLength(0);
    expect(payloadOf(telnyx.ofAction("gather_using_speak").at(-1))).toMatch(/Press 1 to accept/);
  });
});
