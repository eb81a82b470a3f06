/**
 * The advice line at a flat rate, end to end: the fee is charged before the rep (automatic capture
 * at the Stripe stand-in), the rep's leg is dialled with Telnyx's time limit as a backstop, the
 * talk gets a warning and is cut off at maxMinutes; if no rep ever answers the fee is refunded.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import { acceptTerms, agentRole, card, CARDS, connectRep, keyInCard, repLeg } from "./support/advice-call";
import { adviceLine, FLAT_RATE } from "./support/advice-lines";
import { CONFIRM, INTENTS, REFUNDS } from "./support/advice-stripe";
import { callRecord, paymentsOf } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

const speeches = () => telnyx.ofAction("speak").map((c) => c.body);

async function paidCall(from: string, agents = [{}]) {
  const line = await adviceLine(FLAT_RATE, agents);
  const call = new TestCall(from, line.number);
  await acceptTerms(call);
  await keyInCard(call, card(CARDS.visa));
  return { line, call };
}

describe("flat-rate advice call", () => {
  it("fee charged upfront, connected with a time limit, warned, cut off at 2 minutes; billed the fee once", async () => {
    const { line, call } = await paidCall("+15557774001");
    const rep = line.agents[0]!;
    expect(telnyx.ofAction("gather_using_speak")[0]?.body.payload).toBe(
      "This call costs a flat fee of 25.00 US dollars for up to 2 minutes with a representative. Your card " +
        "is charged before we connect you, and refunded if no representative answers. Press 1 to accept, or 2 to decline.",
    );
    expect(stripe.ok("POST", INTENTS)).toHaveLength(1);
    const charges = stripe.ok("POST", CONFIRM);
    expect(charges).toHaveLength(1);
    const pi = charges[0]!.body!;
    expect(pi).toMatchObject({
      status: "succeeded",
      capture_method: "automatic",
      amount: 2500,
      amount_received: 2500,
    });
    // Backstop: 2 minutes of talk + 20 s of ringing + 60 s of slack.
    expect(telnyx.ofAction("dial")[0]?.body).toMatchObject({ to: rep.destination, time_limit_secs: 200 });

    await call.speakEnded();
    const talkFrom = await connectRep(call, rep.id);
    const spoken = speeches().length;
    const runTimer = async () => {
      expect(await runDurableObjectAlarm(call.stub)).toBe(true);
      await call.stub.idle();
    };
    await runTimer(); // 1 minute: tick and the warning
    expect(speeches().slice(spoken)).toEqual([
      expect.objectContaining({ payload: "This call will end in 1 minute.", target_legs: "both" }),
    ]);
    expect(telnyx.ofAction("hangup")).toHaveLength(0);
    await runTimer(); // 2 minutes: the cutoff
    expect(
      telnyx
        .ofAction("hangup")
        .map((c) => c.leg)
        .sort(),
    ).toEqual([call.callerLeg, repLeg(call)].sort());

    call.advance(120_000 + 1_000 - (call.now() - talkFrom));
    await call.hangup(repLeg(call), agentRole(rep.id), "normal_clearing");
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      billableSeconds: 120,
      amount: 2500,
      paymentId: pi.id,
      cardBrand: "visa",
      cardLast4: "4242",
    });
    expect((await paymentsOf(call.sessionId)).map((p) => [p.kind, p.amount])).toEqual([["charge", 2500]]);
    // Create + confirm, and nothing after: no capture, refund or second charge.
    expect(
      stripe.exchanges
        .filter((e) => e.method === "POST" && e.path !== "/v1/payment_methods")
        .map((e) => e.path.replace(/pi_\w+/, "{id}")),
    ).toEqual(["/v1/payment_intents", "/v1/payment_intents/{id}/confirm"]);
  });

  it.each([
    ["the rep's leg reports no answer", "no_answer"],
    ["our ring timer runs out", "timer"],
  ])("no rep ever answers (%s): the caller is told and the fee refunded", async (_name, how) => {
    const { line, call } = await paidCall("+15557774002");
    const rep = line.agents[0]!;
    await call.speakEnded();
    await call.agentDialled(repLeg(call), rep.id);
    if (how === "timer") {
      expect(await runDurableObjectAlarm(call.stub)).toBe(true); // ring_timeout
      await call.stub.idle();
      expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([repLeg(call)]);
    } else {
      call.advance(20_000);
      await call.hangup(repLeg(call), agentRole(rep.id), "no_answer");
    }
    expect(telnyx.ofAction("dial")).toHaveLength(1); // the only rep is not rung again
    expect(speeches().at(-1)?.payload).toBe(
      "Sorry, no representative is available. You have not been connected, so your payment of 25.00 US dollars " +
        "will be refunded. Please leave a message after the tone.",
    );
    await call.hangup(call.callerLeg, "caller");

    const pi = String(stripe.ok("POST", INTENTS)[0]?.body?.id);
    const refunds = stripe.ok("POST", REFUNDS);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]!.body).toMatchObject({ payment_intent: pi, amount: 2500, status: "succeeded" });
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "no_agent", amount: 0, agentId: null });
    expect((await paymentsOf(call.sessionId)).map((p) => [p.kind, p.amount]).sort()).toEqual([
      ["charge", 2500],
      ["refund", 2500],
    ]);
  });

  it("Stripe refuses the refund (balance_insufficient): the payment row says refused, an error line is logged", async () => {
    const { line, call } = await paidCall("+15557774003");
    const rep = line.agents[0]!;
    await call.speakEnded();
    await call.agentDialled(repLeg(call), rep.id);
    call.advance(20_000);
    await stripe.refuseNext("/v1/refunds", "balance_insufficient");
    await call.hangup(repLeg(call), agentRole(rep.id), "no_answer");
    await call.hangup(call.callerLeg, "caller");
    // The refusal reached the flow, so the record is written with what really happened.
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "no_agent", amount: 2500 });
    const rows = await paymentsOf(call.sessionId);
    expect(rows.map((p) => [p.kind, p.status, p.code]).sort()).toEqual([
      ["charge", "succeeded", null],
      ["refund", "refused", "balance_insufficient"],
    ]);
    const res = await exports.default.fetch(`http://x/api/v1/payments?call_id=${call.sessionId}`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    const listed = await res.json<{ data: { kind: string; status: string; code: string | null }[] }>();
    expect(listed.data.find((p) => p.kind === "refund")).toMatchObject({
      status: "refused",
      code: "balance_insufficient",
    });
  });
});
