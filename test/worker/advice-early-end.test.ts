/**
 * Advice calls that end before any talk, end to end: the caller declines the terms, or hangs up at
 * each step (terms, mid-card, while the hold is being placed, while the rep rings, in the queue).
 * Each settles once, with the right status, and any hold is released at Stripe.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import {
  acceptTerms,
  agentRole,
  card,
  CARDS,
  deliver,
  keyInCard,
  keyInFields,
  repLeg,
} from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { CANCEL, CONFIRM, INTENTS } from "./support/advice-stripe";
import { callRecord, paymentsOf } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

const holdId = () => String(stripe.ok("POST", INTENTS)[0]?.body?.id);

/** The call settled once: one record, and a repeated hang-up is recognised as after the end. */
async function expectSettledOnce(call: TestCall) {
  const again = await call.hangup(call.callerLeg, "caller");
  expect(await again.res.json()).toMatchObject({ result: "ended" });
  return callRecord(call.sessionId);
}

describe("the caller says no", () => {
  it("declines the terms with 2: goodbye, hang-up, no payment", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15557773001", line.number);
    await call.start();
    await call.answered();
    await call.speakEnded();
    expect(telnyx.ofAction("gather_using_speak")[0]?.body.payload).toBe(
      "This call costs 1.50 US dollars per minute, billed per started minute. We will place a temporary " +
        "hold of 30.00 US dollars on your card and charge only for the time you talk with a representative, " +
        "for up to 20 minutes. Press 1 to accept, or 2 to decline.",
    );
    await call.gathered("2");
    expect(telnyx.ofAction("speak").at(-1)?.body.payload).toBe("No problem. Thank you for calling. Goodbye.");
    await call.speakEnded();
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([call.callerLeg]);
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "declined_terms",
      amount: 0,
      paymentId: null,
    });
    expect(await paymentsOf(call.sessionId)).toEqual([]);
    expect(stripe.exchanges).toEqual([]);
  });
});

describe("the caller hangs up", () => {
  it("at the terms: abandoned, nothing charged", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15557773002", line.number);
    await call.start();
    await call.answered();
    await call.speakEnded();
    await call.hangup(call.callerLeg, "caller");
    expect(await expectSettledOnce(call)).toMatchObject({ status: "abandoned", amount: 0 });
    expect(stripe.exchanges).toEqual([]);
  });

  it("mid-card: abandoned, the fields leave memory, Stripe never called", async () => {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall("+15557773003", line.number);
    await acceptTerms(call);
    await call.gathered(CARDS.visa);
    await call.gathered("1");
    expect((await call.stub.inspect())?.heldInMemory).toBe(1);
    await call.hangup(call.callerLeg, "caller");
    expect((await call.stub.inspect())?.heldInMemory).toBe(0);
    expect(await expectSettledOnce(call)).toMatchObject({ status: "abandoned", amount: 0 });
    expect(stripe.exchanges).toEqual([]);
  });

  /** The caller hangs up while Stripe holds the request to `path` open; then Stripe answers. */
  async function hangUpWhileStripeWaits(path: RegExp, from: string) {
    const line = await adviceLine(PER_MINUTE);
    const call = new TestCall(from, line.number);
    await acceptTerms(call);
    const entry = card(CARDS.visa);
    await keyInFields(call, entry);
    const gate = stripe.holdNext(path);
    const cvcSent = call.gathered(entry.cvc);
    await gate.reached;
    call.advance(1_000);
    expect(
      await deliver(call, "call.hangup", call.callerLeg, "caller", { hangup_cause: "normal_clearing" }),
    ).toBe("applied");
    expect((await call.stub.inspect())?.phase).toBe("awaiting_payment");
    gate.release();
    await cvcSent;
    await call.stub.idle();
    expect(telnyx.ofAction("dial")).toHaveLength(0);
    return { call, pi: holdId() };
  }

  it("while the card is being sent: the payment is cancelled unconfirmed, no hold ever placed", async () => {
    const { call, pi } = await hangUpWhileStripeWaits(INTENTS, "+15557773004");
    expect(await stripe.intent(pi)).toMatchObject({ status: "canceled", amount_capturable: 0 });
    expect(stripe.all("POST", CONFIRM)).toHaveLength(0);
    expect(await expectSettledOnce(call)).toMatchObject({ status: "abandoned", amount: 0, paymentId: null });
    expect((await paymentsOf(call.sessionId)).map((p) => [p.providerPaymentId, p.kind, p.amount])).toEqual([
      [pi, "release", 0],
    ]);
  });

  it("while the hold is being confirmed: the late approval is released, never left behind", async () => {
    const { call, pi } = await hangUpWhileStripeWaits(CONFIRM, "+15557773014");
    expect(await stripe.intent(pi)).toMatchObject({ status: "canceled" });
    expect(stripe.all("POST", CANCEL)).toHaveLength(1);
    expect(await expectSettledOnce(call)).toMatchObject({ status: "abandoned", amount: 0, paymentId: pi });
    expect((await paymentsOf(call.sessionId)).map((p) => p.kind).sort()).toEqual(["authorization", "cancel"]);
  });

  it("while the rep rings: the rep's leg is hung up, the rep freed, the hold released", async () => {
    const line = await adviceLine(PER_MINUTE);
    const rep = line.agents[0]!;
    const call = new TestCall("+15557773005", line.number);
    await acceptTerms(call);
    await keyInCard(call, card(CARDS.visa));
    await call.agentDialled(repLeg(call), rep.id);
    call.advance(6_000);
    await call.hangup(call.callerLeg, "caller", "originator_cancel");
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([repLeg(call)]);
    await call.hangup(repLeg(call), agentRole(rep.id));
    expect((await env.LINE_SESSION.getByName(line.id).snapshot()).busy).toEqual([]);
    expect(await stripe.intent(holdId())).toMatchObject({ status: "canceled" });
    const record = await expectSettledOnce(call);
    // The caller paid but reached no rep: the flow files this as no_agent, with nothing billed.
    expect(record).toMatchObject({
      status: "no_agent",
      amount: 0,
      agentId: null,
      hangupCause: "originator_cancel",
    });
  });

  it("in the hold queue: leaves the queue and the hold is released", async () => {
    const line = await adviceLine({ ...PER_MINUTE, noRep: { mode: "queue", maxWaitSec: 300 } }, [
      { status: "offline" },
    ]);
    const call = new TestCall("+15557773006", line.number);
    await acceptTerms(call);
    await keyInCard(call, card(CARDS.visa));
    const lineSession = env.LINE_SESSION.getByName(line.id);
    expect((await lineSession.snapshot()).queue).toEqual([call.sessionId]);
    call.advance(40_000);
    await call.hangup(call.callerLeg, "caller");
    expect((await lineSession.snapshot()).queue).toEqual([]);
    expect(await stripe.intent(holdId())).toMatchObject({ status: "canceled" });
    expect(await expectSettledOnce(call)).toMatchObject({ status: "no_agent", amount: 0 });
  });
});
