/**
 * No rep free on an advice line, end to end: the line's hold queue (music, then connected when a
 * rep frees up — another call ends, or an admin marks a rep available — or voicemail when the wait
 * runs out) and straight voicemail (the recording is kept, the hold released).
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api } from "./api-helpers";
import { TestCall } from "./support/call";
import {
  acceptTerms,
  agentRole,
  card,
  CARDS,
  connectRep,
  keyInCard,
  recordingSaved,
  repLeg,
} from "./support/advice-call";
import { adviceLine, PER_MINUTE, voicemailsOf } from "./support/advice-lines";
import { callRecord, paymentsOf } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

const MUSIC = "https://media.example.test/hold.mp3";
const QUEUED = { ...PER_MINUTE, noRep: { mode: "queue" as const, maxWaitSec: 60, holdMusicUrl: MUSIC } };
const speechesTo = (leg: string) =>
  telnyx
    .ofAction("speak")
    .filter((c) => c.leg === leg)
    .map((c) => String(c.body.payload));
const onLeg = (action: string, leg: string) => telnyx.ofAction(action).filter((c) => c.leg === leg);
const heldIntentOf = (sessionId: string) =>
  String(
    stripe.ok("POST", /^\/v1\/payment_intents$/).find((e) => e.idempotencyKey?.startsWith(sessionId))?.body
      ?.id,
  );

/** A paying caller who finds no rep free: hears the approval, then what the line does instead. */
async function payingCaller(lineNumber: string, from: string) {
  const call = new TestCall(from, lineNumber);
  await acceptTerms(call);
  await keyInCard(call, card(CARDS.visa));
  return call;
}

describe("hold queue", () => {
  it("queued with music while the only rep talks; that call ends, the rep is offered and connected", async () => {
    const line = await adviceLine(QUEUED);
    const rep = line.agents[0]!;
    const first = await payingCaller(line.number, "+15557772001");
    await first.speakEnded();
    await connectRep(first, rep.id);

    const waiting = await payingCaller(line.number, "+15557772002");
    expect(speechesTo(waiting.callerLeg).at(-1)).toMatch(
      /^All of our representatives are busy\. Please hold/,
    );
    await waiting.speakEnded(); // the approval
    expect(onLeg("playback_start", waiting.callerLeg)).toHaveLength(0);
    await waiting.speakEnded(); // "please hold"
    expect(onLeg("playback_start", waiting.callerLeg)[0]?.body).toMatchObject({ audio_url: MUSIC });
    const lineSession = env.LINE_SESSION.getByName(line.id);
    expect((await lineSession.snapshot()).queue).toEqual([waiting.sessionId]);
    expect(telnyx.ofAction("dial")).toHaveLength(1);

    first.advance(200_000);
    await first.hangup(first.callerLeg, "caller");
    await first.hangup(repLeg(first), agentRole(rep.id)); // its rep's leg follows: the rep is free
    await waiting.stub.idle();
    expect(onLeg("playback_stop", waiting.callerLeg)).toHaveLength(1);
    const dials = telnyx.ofAction("dial");
    expect(dials).toHaveLength(2);
    expect(dials[1]!.body).toMatchObject({ to: rep.destination, link_to: waiting.callerLeg });
    expect((await lineSession.snapshot()).queue).toEqual([]);

    await connectRep(waiting, rep.id);
    expect((await waiting.stub.inspect())?.phase).toBe("talking");
    waiting.advance(45_000);
    await waiting.hangup(waiting.callerLeg, "caller");
    await waiting.hangup(repLeg(waiting), agentRole(rep.id));
    expect(await callRecord(waiting.sessionId)).toMatchObject({
      status: "completed",
      agentId: rep.id,
      amount: 150,
    });
    expect(await callRecord(first.sessionId)).toMatchObject({ status: "completed", amount: 600 });
  });

  it("an admin marks an offline rep available: the waiting caller is connected", async () => {
    const line = await adviceLine(QUEUED, [{ status: "offline" }]);
    const rep = line.agents[0]!;
    const waiting = await payingCaller(line.number, "+15557772003");
    expect((await waiting.stub.inspect())?.phase).toBe("queued");
    expect(telnyx.ofAction("dial")).toHaveLength(0);

    const res = await api(`/api/v1/lines/${line.id}/agents/${rep.id}`, {
      method: "PATCH",
      body: { status: "available" },
    });
    expect(res.status).toBe(200);
    await waiting.stub.idle();
    expect(telnyx.ofAction("dial")[0]?.body).toMatchObject({
      to: rep.destination,
      link_to: waiting.callerLeg,
    });
    await connectRep(waiting, rep.id);
    expect((await waiting.stub.inspect())?.phase).toBe("talking");
    await waiting.hangup(waiting.callerLeg, "caller");
  });

  it("the wait runs out: the caller leaves the queue and goes to voicemail", async () => {
    const line = await adviceLine(QUEUED, []);
    const call = await payingCaller(line.number, "+15557772004");
    await call.speakEnded();
    await call.speakEnded();
    expect(await runDurableObjectAlarm(call.stub)).toBe(true); // queue_timeout
    await call.stub.idle();
    expect(onLeg("playback_stop", call.callerLeg)).toHaveLength(1);
    expect((await env.LINE_SESSION.getByName(line.id).snapshot()).queue).toEqual([]);
    expect(speechesTo(call.callerLeg).at(-1)).toBe(
      "Sorry, no representative is available. You have not been charged. Please leave a message after the tone.",
    );
    await call.speakEnded();
    expect(onLeg("record_start", call.callerLeg)).toHaveLength(1);
    call.advance(20_000);
    await call.hangup(call.callerLeg, "caller");
    await recordingSaved(call, "https://recordings.example.test/vm-queue.mp3", 18);
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "voicemail", amount: 0 });
    expect(await voicemailsOf(call.sessionId)).toHaveLength(1);
  });
});

describe("voicemail", () => {
  it("no rep: message recorded, the caller hangs up, the recording is stored and the hold released", async () => {
    const line = await adviceLine(PER_MINUTE, [{ status: "offline" }]);
    const call = await payingCaller(line.number, "+15557772005");
    const prompt =
      "Sorry, no representative is available. You have not been charged. Please leave a message after the tone.";
    expect(speechesTo(call.callerLeg).at(-1)).toBe(prompt);
    await call.speakEnded(); // the approval
    expect(telnyx.ofAction("record_start")).toHaveLength(0);
    await call.speakEnded(); // the prompt
    expect(onLeg("record_start", call.callerLeg)[0]?.body).toMatchObject({
      play_beep: true,
      max_length: 120,
    });

    call.advance(25_000);
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toBeNull(); // waits for the saved recording
    const url = "https://recordings.example.test/vm-1.mp3";
    await recordingSaved(call, url, 24);

    const [voicemail, ...others] = await voicemailsOf(call.sessionId);
    expect(others).toEqual([]);
    expect(voicemail).toMatchObject({
      lineId: line.id,
      callerNumber: "+15557772005",
      recordingUrl: url,
      durationSec: 24,
    });
    const pi = heldIntentOf(call.sessionId);
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "voicemail", amount: 0, paymentId: pi });
    expect((await paymentsOf(call.sessionId)).map((p) => [p.kind, p.amount]).sort()).toEqual([
      ["authorization", 3000],
      ["cancel", 0],
    ]);
    expect(await stripe.intent(pi)).toMatchObject({ status: "canceled", amount_received: 0 });
    expect(stripe.all("POST", /\/capture$/)).toHaveLength(0);
  });

  it("a saved message can be listened to later: the API redirects to a fresh link from Telnyx", async () => {
    const line = await adviceLine(PER_MINUTE, [{ status: "offline" }]);
    const call = await payingCaller(line.number, "+15557772006");
    await call.speakEnded();
    await call.speakEnded();
    await call.hangup(call.callerLeg, "caller");
    await recordingSaved(call, "https://recordings.example.test/expires-in-10-minutes.mp3", 12);
    const [voicemail] = await voicemailsOf(call.sessionId);
    const fresh = "https://recordings.example.test/fresh.mp3";
    telnyx.recordings.set(call.sessionId, fresh);
    const listen = () =>
      exports.default.fetch(`http://x/api/v1/voicemails/${voicemail!.id}/recording`, {
        headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
        redirect: "manual",
      });
    const res = await listen();
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(fresh);

    telnyx.failNext("recordings", 503, "10001");
    const down = await listen();
    expect(down.status).toBe(502);
    expect(down.headers.get("content-type")).toContain("application/problem+json");
  });
});
