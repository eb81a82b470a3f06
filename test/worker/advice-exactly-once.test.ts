/**
 * An advice call's money moves exactly once, end to end: webhooks redelivered or arriving after the
 * settlement, a capture whose answer was lost, and the call's object losing its memory mid-talk or
 * with the capture still to send. Only Telnyx's API is a fake; Stripe is the stand-in over HTTP.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import type { TestCall } from "./support/call";
import { agentRole, loseMemory, talkingCall } from "./support/advice-call";
import { CAPTURE, INTENTS } from "./support/advice-stripe";
import { callRecord, paymentsOf } from "./support/seed";
import { postWebhook } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

/** Runs the object's alarm until a retried command's back-off (1 s) has passed and the call settled. */
const settledRecord = (call: TestCall) =>
  vi.waitFor(
    async () => {
      await runDurableObjectAlarm(call.stub);
      await call.stub.idle();
      const record = await callRecord(call.sessionId);
      if (!record) throw new Error("not settled yet");
      return record;
    },
    { timeout: 5_000, interval: 100 },
  );

describe("duplicates, late webhooks and lost memory never capture twice", () => {
  it("hang-ups and other events redelivered after settlement change nothing", async () => {
    const { call, rep, leg } = await talkingCall();
    call.advance(90_000);
    const { body } = await call.hangup(call.callerLeg, "caller");
    const again = await postWebhook(body);
    expect(await again.json()).toMatchObject({ result: "duplicate" });
    await call.stub.idle();
    call.advance(800);
    await call.hangup(leg, agentRole(rep.id)); // the rep's leg follows: the call settles
    const sent = telnyx.sent.length;
    // Late events with new ids: the rep's hang-up again, a repeated answer and bridge, a stray gather.
    call.advance(5_000);
    for (const late of [
      () => call.hangup(leg, agentRole(rep.id)),
      () => call.agentAnswered(leg, rep.id),
      () => call.bridged(call.callerLeg, "caller"),
      () => call.hangup(call.callerLeg, "caller"),
      () => call.gathered("1"),
    ]) {
      const { res } = await late();
      expect(await res.json()).toMatchObject({ result: "ended" });
    }
    expect(telnyx.sent.length).toBe(sent);
    expect(stripe.all("POST", CAPTURE)).toHaveLength(1);
    expect(await callRecord(call.sessionId)).toMatchObject({ billableSeconds: 120, amount: 300 });
    expect(await paymentsOf(call.sessionId)).toHaveLength(2);
  });

  it("Stripe captured but the answer was lost: the retry finds it captured, captured once", async () => {
    const { call } = await talkingCall();
    stripe.failNext("POST", CAPTURE, "after");
    call.advance(150_000);
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toBeNull(); // the record waits behind the capture
    const record = await settledRecord(call);
    expect(record).toMatchObject({ amount: 450 });
    const pi = String(stripe.ok("POST", INTENTS)[0]?.body?.id);
    // The retry carries a fresh key (Stripe would replay a saved 500 for ever under the old one);
    // Stripe answers "already captured", which the adapter reads as done.
    expect(stripe.all("POST", CAPTURE).map((a) => a.idempotencyKey)).toEqual([
      `${pi}:capture`,
      `${pi}:capture:retry1`,
    ]);
    expect(await stripe.intent(pi)).toMatchObject({ status: "succeeded", amount_received: 450 });
  });

  it("the object restarts with the capture still to send: resent after the restart, captured once", async () => {
    const { call } = await talkingCall();
    stripe.failNext("POST", CAPTURE, "before");
    call.advance(150_000);
    await call.hangup(call.callerLeg, "caller");
    await loseMemory();
    const record = await settledRecord(call);
    expect(record).toMatchObject({ status: "completed", amount: 450 });
    const pi = String(stripe.ok("POST", INTENTS)[0]?.body?.id);
    expect(await stripe.intent(pi)).toMatchObject({ status: "succeeded", amount_received: 450 });
    expect(stripe.ok("POST", CAPTURE)).toHaveLength(1);
    expect(await paymentsOf(call.sessionId)).toHaveLength(2);
  });

  it("while the outbox head waits out its back-off, the alarm is not set earlier (no busy alarm loop)", async () => {
    // Regression: nextDue once took min(next_at) over the whole outbox, but only the head can run.
    // A deferred capture with record_call queued behind it armed the alarm in the past, so workerd
    // re-ran alarm() back to back until the capture's back-off ended.
    const { call, rep, leg } = await talkingCall();
    stripe.failNext("POST", CAPTURE, "before");
    call.advance(150_000);
    await call.hangup(call.callerLeg, "caller");
    await call.hangup(leg, agentRole(rep.id));
    const { alarm, headAt } = await runInDurableObject(call.stub, async (_instance, state) => ({
      alarm: await state.storage.getAlarm(),
      headAt: state.storage.sql.exec<{ next_at: number }>("SELECT min(next_at) AS next_at FROM outbox").one()
        .next_at,
    }));
    await settledRecord(call);
    expect(alarm).not.toBeNull();
    expect(alarm!).toBeGreaterThanOrEqual(headAt);
  });

  it("the call's object loses its memory mid-talk and still settles exactly once", async () => {
    const { call, rep, leg } = await talkingCall();
    call.advance(30_000);
    await loseMemory();
    expect((await call.stub.inspect())?.phase).toBe("talking");
    call.advance(100_000);
    await call.hangup(call.callerLeg, "caller");
    await loseMemory();
    await call.hangup(leg, agentRole(rep.id));
    const late = await call.hangup(call.callerLeg, "caller");
    expect(await late.res.json()).toMatchObject({ result: "ended" });
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      billableSeconds: 180,
      amount: 450,
    });
    expect(stripe.all("POST", CAPTURE)).toHaveLength(1);
  });
});
