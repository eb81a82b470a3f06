/**
 * The paid advice line billed per minute, end to end in workerd: signed webhooks through the real
 * route, the real CallSession/LineSession objects, the real libSQL database and the Stripe stand-in
 * over HTTP. Only Telnyx's API is a fake. Each test reads as the call it places.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import {
  acceptTerms,
  agentRole,
  card,
  CARDS,
  connectRep,
  keyInCard,
  payloadOf,
  repLeg,
  talkingCall,
} from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { CAPTURE, CONFIRM, INTENTS } from "./support/advice-stripe";
import { callRecord, paymentsOf } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

const lastSpeech = () => payloadOf(telnyx.ofAction("speak").at(-1));

describe("per-minute advice call", () => {
  it("terms → card → hold → rep → 2 min 5 s of talk → caller hangs up → 3 minutes captured once", async () => {
    const line = await adviceLine(PER_MINUTE);
    const rep = line.agents[0]!;
    const call = new TestCall("+15557770001", line.number);
    await acceptTerms(call);
    expect(telnyx.ofAction("gather_using_speak").at(-1)?.body.payload).toMatch(/enter your card number/);
    await keyInCard(call, card(CARDS.visa));

    const holds = stripe.ok("POST", INTENTS);
    expect(holds).toHaveLength(1);
    expect(holds[0]!.idempotencyKey).toBe(`${call.sessionId}:pi:1`);
    // Created unconfirmed (its id known before money moves), then confirmed as MOTO: the hold.
    const confirms = stripe.ok("POST", CONFIRM);
    expect(confirms).toHaveLength(1);
    expect(confirms[0]!.idempotencyKey).toBe(`${call.sessionId}:pi:1:confirm`);
    const pi = confirms[0]!.body!;
    expect(pi).toMatchObject({ status: "requires_capture", capture_method: "manual", amount: 3000 });
    expect(pi).toMatchObject({ payment_method_options: { card: { moto: true } } });
    expect(lastSpeech()).toMatch(/your card is approved/);
    const dials = telnyx.ofAction("dial");
    expect(dials).toHaveLength(1);
    expect(dials[0]!.body).toMatchObject({ to: rep.destination, from: line.number, link_to: call.callerLeg });

    await call.speakEnded();
    const talkFrom = await connectRep(call, rep.id);
    const bridges = telnyx.ofAction("bridge");
    expect(bridges).toHaveLength(1);
    expect(bridges[0]).toMatchObject({ leg: call.callerLeg, body: { call_control_id: repLeg(call) } });
    call.advance(125_000);
    await call.hangup(call.callerLeg, "caller");
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([repLeg(call)]);
    // Telnyx reports the rep's leg ended too (our hang-up); the call settles at the earlier end.
    call.advance(600);
    await call.hangup(repLeg(call), agentRole(rep.id));

    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      endedBy: "caller",
      lineId: line.id,
      agentId: rep.id,
      callerNumber: "+15557770001",
      talkStartedAt: talkFrom,
      billableSeconds: 180,
      amount: 450,
      currency: "usd",
      cardBrand: "visa",
      cardLast4: "4242",
      paymentId: pi.id,
    });
    const rows = await paymentsOf(call.sessionId);
    expect(rows.map((r) => [r.kind, r.amount, r.status]).sort()).toEqual([
      ["authorization", 3000, "succeeded"],
      ["capture", 450, "succeeded"],
    ]);
    const captures = stripe.all("POST", CAPTURE);
    expect(captures).toHaveLength(1);
    expect(captures[0]!.idempotencyKey).toBe(`${String(pi.id)}:capture`);
    expect(await stripe.intent(String(pi.id))).toMatchObject({ status: "succeeded", amount_received: 450 });
    expect(telnyx.ofAction("dial")).toHaveLength(1);
  });

  it("the rep hangs up first: the caller is hung up and the talk is billed", async () => {
    const { call, rep, leg } = await talkingCall();
    call.advance(61_000);
    await call.hangup(leg, agentRole(rep.id));
    expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([call.callerLeg]);
    call.advance(400);
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      endedBy: "agent",
      billableSeconds: 120,
      amount: 300,
    });
    expect(stripe.ok("POST", CAPTURE)).toHaveLength(1);
  });

  it("a hang-up exactly at 60 s is 1 minute, not 2", async () => {
    const { call, rep, leg } = await talkingCall();
    call.advance(60_000);
    await call.hangup(call.callerLeg, "caller");
    call.advance(1_500);
    await call.hangup(leg, agentRole(rep.id));
    expect(await callRecord(call.sessionId)).toMatchObject({ billableSeconds: 60, amount: 150 });
  });

  it("the rep's hang-up that happened first but was delivered second: billed to the earlier one", async () => {
    const { call, rep, leg, talkFrom } = await talkingCall();
    // The rep leaves at 59.6 s; the caller's leg follows at 61.2 s, and that webhook comes first.
    call.advance(61_200);
    await call.hangup(call.callerLeg, "caller");
    await call.send(
      "call.hangup",
      leg,
      agentRole(rep.id),
      { hangup_cause: "normal_clearing", hangup_source: "callee" },
      undefined,
      talkFrom + 59_600,
    );
    expect(await callRecord(call.sessionId)).toMatchObject({
      billableSeconds: 60,
      amount: 150,
      endedBy: "agent",
    });
  });

  it("warning to both 60 s before the limit, cutoff at it; billed the hold, never more", async () => {
    // 1.00 a minute with a 3.00 hold: 3 minutes of talk.
    const { call, rep, leg, talkFrom } = await talkingCall({
      ...PER_MINUTE,
      ratePerMinute: 100,
      preauthAmount: 300,
    });
    const speaksBefore = telnyx.ofAction("speak").length;
    const runTimer = async () => {
      expect(await runDurableObjectAlarm(call.stub)).toBe(true);
      await call.stub.idle();
    };
    await runTimer(); // minute 1 tick
    expect(telnyx.ofAction("speak")).toHaveLength(speaksBefore);
    await runTimer(); // minute 2: tick and the warning
    const warning = telnyx.ofAction("speak").slice(speaksBefore);
    expect(warning).toHaveLength(1);
    expect(warning[0]!.body).toMatchObject({
      payload: "This call will end in 1 minute.",
      target_legs: "both",
    });
    expect(telnyx.ofAction("hangup")).toHaveLength(0);
    await runTimer(); // minute 3: the limit
    expect(
      telnyx
        .ofAction("hangup")
        .map((c) => c.leg)
        .sort(),
    ).toEqual([call.callerLeg, leg].sort());

    // Telnyx reports both legs ended a little after the limit: still 3 minutes.
    call.advance(180_000 + 2_500 - (call.now() - talkFrom));
    await call.hangup(call.callerLeg, "caller");
    await call.hangup(leg, agentRole(rep.id));
    const record = await callRecord(call.sessionId);
    expect(record).toMatchObject({
      status: "completed",
      billableSeconds: 180,
      amount: 300,
      hangupCause: "time_limit",
    });
    expect(stripe.all("POST", CAPTURE)).toHaveLength(1);
  });
});
