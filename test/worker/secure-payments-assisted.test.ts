/**
 * Assisted mode (a line's securePayments.mode "assisted"): the agent stays on the line while the
 * caller keys the card, and asks for each field from the console. The bridge is made again with
 * Telnyx's mute_dtmf "both", so the agent's leg receives none of the caller's keys (BridgeEar
 * replays the real Call Control commands sent to decide what crossed); a failed field is asked
 * for again; a decline asks for the card again; cancel from the console; `*` and 60 s of silence.
 */
import { describe, expect, it } from "vitest";
import { api, expectProblem, json } from "./api-helpers";
import { askFor, askedFor, assistedCall, BridgeEar } from "./support/assisted-call";
import {
  backToAgent,
  DECLINED_CARD,
  PAY_CARD,
  paymentOf,
  recorded,
  REQUEST,
  requestPayment,
  type AgentCall,
} from "./support/secure-payment-call";
import { useWireFakes } from "./support/wire-fakes";
import { CONFIRM } from "./support/advice-stripe";

const { telnyx, stripe } = useWireFakes();

/** Requested, the muted bridge confirmed by Telnyx, and the amount confirmed with 1. */
async function started(c: AgentCall, ear: BridgeEar, key = "req-1"): Promise<string> {
  const { id } = await json<{ id: string }>(await requestPayment(c, REQUEST, key), 201);
  await c.call.bridged(c.call.callerLeg, "caller");
  c.call.advance(6_000);
  await ear.key("1");
  // "Your agent will now ask you for your card details" is said.
  await c.call.speakEnded();
  return id;
}

/** The agent asks for a field; the caller keys it and confirms with 1. */
async function field(c: AgentCall, ear: BridgeEar, id: string, name: string, digits: string, key: string) {
  expect((await askedFor(c, id, name, key)).steps[name]).toBe("entering");
  await ear.key(`${digits}#`);
  await ear.key("1");
}

const intents = () => stripe.exchanges.filter((e) => e.method === "POST" && e.path === "/v1/payment_intents");

describe("assisted mode", () => {
  it("keeps the agent on the line, mutes the caller's keys towards them during every field, and charges MOTO with the request's key", async () => {
    const c = await assistedCall("+15557200001");
    const ear = new BridgeEar(telnyx, c);
    // Before the payment the bridge carries keys to the agent (the model can tell).
    await ear.press("5");
    expect(ear.receivedBy(c.agentLeg)).toBe("5");

    const { id } = await json<{ id: string }>(await requestPayment(c), 201);
    expect(telnyx.actions()).not.toContain("enqueue");
    const muting = telnyx.ofAction("bridge").at(-1)!;
    expect([muting.leg, muting.body.call_control_id, muting.body.mute_dtmf]).toEqual([
      c.call.callerLeg,
      c.agentLeg,
      "both",
    ]);
    // Nothing is asked of the caller until Telnyx confirms the muted bridge.
    const prompts = telnyx.ofAction("gather_using_speak").length;
    await c.call.stub.idle();
    expect(telnyx.ofAction("gather_using_speak")).toHaveLength(prompts);
    await c.call.bridged(c.call.callerLeg, "caller");
    expect(telnyx.actions()).toContain("record_pause");
    expect(String(telnyx.ofAction("gather_using_speak").at(-1)?.body.payload)).toContain("stays on the line");
    await ear.key("1");
    await c.call.speakEnded();

    // The agent drives: nothing to charge yet; the fields in the agent's order.
    await expectProblem(await askFor(c, id, "charge", "k-charge-early"), 409);
    await expectProblem(await askFor(c, id, "cvc", "k-cvc-early"), 409);
    await field(c, ear, id, "expiry", PAY_CARD.expiry, "k1");
    await field(c, ear, id, "number", PAY_CARD.number, "k2");
    // A second click while the caller is keying is refused; the same click retried is the same answer.
    expect((await askedFor(c, id, "zip", "k3")).steps.zip).toBe("entering");
    await expectProblem(await askFor(c, id, "cvc", "k4"), 409);
    expect((await askedFor(c, id, "zip", "k3")).steps.zip).toBe("entering");
    await ear.key(`${PAY_CARD.zip}#`);
    await ear.key("1");
    await field(c, ear, id, "cvc", PAY_CARD.cvc, "k5");
    const live = await paymentOf(c, id);
    expect(live.steps).toEqual({
      amount: "complete",
      number: "complete",
      expiry: "complete",
      cvc: "complete",
      zip: "complete",
    });
    expect(ear.receivedBy(c.agentLeg)).toBe("5");

    await askedFor(c, id, "charge", "k6");
    const done = await recorded(c, id);
    expect(done).toMatchObject({ status: "succeeded", card_brand: "visa", card_last4: "4242" });
    expect(intents()).toHaveLength(1);
    expect(intents()[0]!.idempotencyKey).toBe(`${id}:pi:1`);
    const confirmed = stripe.ok("POST", CONFIRM);
    expect(confirmed).toHaveLength(1);
    expect(confirmed[0]!.body).toMatchObject({
      status: "succeeded",
      payment_method_options: { card: { moto: true } },
    });

    // The result said, the bridge is made again unmuted: keys reach the agent once more.
    await backToAgent(c);
    const unmuted = telnyx.ofAction("bridge").at(-1)!;
    expect([unmuted.body.call_control_id, unmuted.body.mute_dtmf]).toEqual([c.agentLeg, undefined]);
    expect(telnyx.actions()).toContain("record_resume");
    await ear.press("9");
    expect(ear.receivedBy(c.agentLeg)).toBe("59");
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("lets the agent ask again for a field that failed (a number that fails Luhn) and for the card after a decline", async () => {
    const c = await assistedCall("+15557200002");
    const ear = new BridgeEar(telnyx, c);
    const id = await started(c, ear);
    await askedFor(c, id, "number", "a1");
    for (let i = 0; i < 3; i++) await ear.key("4242424242424241#");
    await c.call.speakEnded();
    const failed = await paymentOf(c, id);
    expect(failed.status).toBe("in_progress");
    expect(failed.steps).toMatchObject({ number: "failed" });

    await field(c, ear, id, "number", DECLINED_CARD.number, "a2");
    await field(c, ear, id, "expiry", DECLINED_CARD.expiry, "a3");
    await field(c, ear, id, "cvc", DECLINED_CARD.cvc, "a4");
    await field(c, ear, id, "zip", DECLINED_CARD.zip, "a5");
    await askedFor(c, id, "charge", "a6");
    await c.call.stub.idle();
    await c.call.speakEnded();
    // Declined: nothing charged, the request goes on, and every field is asked for again.
    const declined = await paymentOf(c, id);
    expect(declined).toMatchObject({
      status: "in_progress",
      stage: "card",
      steps: { number: "failed", expiry: "waiting", cvc: "waiting", zip: "waiting" },
      decline_code: "generic_decline",
    });
    for (const [name, digits, key] of [
      ["number", PAY_CARD.number, "b1"],
      ["expiry", PAY_CARD.expiry, "b2"],
      ["cvc", PAY_CARD.cvc, "b3"],
      ["zip", PAY_CARD.zip, "b4"],
    ] as const)
      await field(c, ear, id, name, digits, key);
    await askedFor(c, id, "charge", "b5");
    expect(await recorded(c, id)).toMatchObject({ status: "succeeded", card_last4: "4242" });
    // A new card, a new Stripe key: the declined attempt's answer is never replayed.
    expect(intents().map((e) => e.idempotencyKey)).toEqual([`${id}:pi:1`, `${id}:pi:2`]);
    expect(ear.receivedBy(c.agentLeg)).toBe("");
    await backToAgent(c);
    expect(telnyx.ofAction("bridge").at(-1)?.body.mute_dtmf).toBeUndefined();
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("is cancelled from the console mid-field: the gather stops, nothing is charged, the bridge is unmuted", async () => {
    const c = await assistedCall("+15557200003");
    const ear = new BridgeEar(telnyx, c);
    const id = await started(c, ear);
    await field(c, ear, id, "number", PAY_CARD.number, "c1");
    await askedFor(c, id, "expiry", "c2");
    await ear.press("12");
    const res = await api(`/api/v1/calls/${c.call.sessionId}/payment-requests/${id}`, {
      method: "DELETE",
      token: c.token,
    });
    expect(res.status).toBe(200);
    expect(telnyx.actions()).toContain("gather_stop");
    const done = await recorded(c, id);
    expect(done).toMatchObject({ status: "failed", reason: "cancelled_by_agent", card_last4: null });
    expect(intents()).toEqual([]);
    expect(ear.receivedBy(c.agentLeg)).toBe("");
    await backToAgent(c);
    expect(telnyx.ofAction("bridge").at(-1)?.body.mute_dtmf).toBeUndefined();
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("fails a field after 60 s of silence (the agent may ask again), and * cancels", async () => {
    const c = await assistedCall("+15557200004");
    const ear = new BridgeEar(telnyx, c);
    const id = await started(c, ear);
    await askedFor(c, id, "number", "d1");
    c.call.advance(60_000);
    await c.call.gathered("", "timeout");
    await c.call.speakEnded();
    expect((await paymentOf(c, id)).steps).toMatchObject({ number: "failed" });
    expect((await paymentOf(c, id)).status).toBe("in_progress");
    await askedFor(c, id, "number", "d2");
    await ear.key("42*");
    expect(await recorded(c, id)).toMatchObject({ status: "failed", reason: "cancelled_by_caller" });
    expect(intents()).toEqual([]);
    await backToAgent(c);
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("refuses field requests on an isolated line's payment", async () => {
    const { agentCall, toCard } = await import("./support/secure-payment-call");
    const c = await agentCall("+15557200005");
    const id = await toCard(c);
    const p = await expectProblem(await askFor(c, id, "number", "e1"), 409);
    expect(p.detail).toContain("isolated");
    await c.call.hangup(c.call.callerLeg, "caller");
  });
});
