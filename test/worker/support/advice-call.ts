/**
 * The usual steps of a caller on an advice line, as signed webhooks through the real route: the
 * front (answer, welcome, terms), keying in a card with its 1/2 confirmations, reaching and talking
 * to a rep, voicemail. Also a raw `deliver` that does not wait for the call's object to go idle.
 */
import { abortAllDurableObjects } from "cloudflare:test";
import { encodeClientState } from "../../../src/telnyx/client-state";
import type { AdviceConfigInput } from "../../../src/products/advice/config";
import { TestCall } from "./call";
import { adviceLine, PER_MINUTE } from "./advice-lines";
import { envelope, postWebhook } from "./telnyx";

/** Stripe's public test cards (and one that fails Luhn), with unusual CVCs a scan can find. */
export const CARDS = {
  visa: "4242424242424242",
  declined: "4000000000000002",
  insufficientFunds: "4000000000009995",
  expired: "4000000000000069",
  incorrectCvc: "4000000000000127",
  amex: "378282246310005",
  luhnFails: "4242424242424241",
} as const;

export interface CardEntry {
  number: string;
  /** MMYY */
  expiry: string;
  street: string;
  zip: string;
  cvc: string;
}

export const card = (number: string, cvc = number.startsWith("3") ? "8361" : "947"): CardEntry => ({
  number,
  expiry: "1230",
  street: "12",
  zip: "10001",
  cvc,
});

/** What a speak or gather command says (its payload), or "" when there is none. */
export const payloadOf = (command: { body: Record<string, unknown> } | undefined): string =>
  typeof command?.body.payload === "string" ? command.body.payload : "";

export const agentRole = (agentId: string) => `agent:${agentId}`;

/** A rep leg id unique to this call (Telnyx names each leg; the flow learns it from call.initiated). */
export const repLeg = (call: TestCall, n = 1) => `v3:rep-${call.sessionId.slice(5, 17)}-${n}`;

/** Calls in, hears the welcome to its end and accepts the terms: the card number prompt is next. */
export async function acceptTerms(call: TestCall): Promise<void> {
  await call.start();
  await call.answered();
  await call.speakEnded();
  call.advance(5_000);
  await call.gathered("1");
}

/** Keys in number, expiry, street and zip, pressing 1 after each read-back when the line asks. */
export async function keyInFields(call: TestCall, entry: CardEntry, confirm = true): Promise<void> {
  for (const digits of [entry.number, entry.expiry, entry.street, entry.zip]) {
    call.advance(4_000);
    await call.gathered(digits);
    if (confirm) await call.gathered("1");
  }
}

/** Keys in the whole card; the last digit of the security code starts the payment. */
export async function keyInCard(call: TestCall, entry: CardEntry, confirm = true): Promise<void> {
  await keyInFields(call, entry, confirm);
  call.advance(3_000);
  await call.gathered(entry.cvc);
}

/** The rep's leg rings, answers and is bridged: talk runs from the returned event time. */
export async function connectRep(call: TestCall, agentId: string, leg = repLeg(call)): Promise<number> {
  call.advance(2_000);
  await call.agentDialled(leg, agentId);
  call.advance(5_000);
  const at = call.now();
  await call.agentAnswered(leg, agentId);
  await call.bridged(call.callerLeg, "caller");
  await call.bridged(leg, agentRole(agentId));
  return at;
}

/** Caller through the card and the hold, connected to the line's first rep; returns talk start. */
export async function talkingCall(config: AdviceConfigInput = PER_MINUTE, from = "+15557770100") {
  const line = await adviceLine(config);
  const rep = line.agents[0]!;
  const call = new TestCall(from, line.number);
  await acceptTerms(call);
  await keyInCard(call, card(CARDS.visa));
  await call.speakEnded(); // "your card is approved"
  const talkFrom = await connectRep(call, rep.id);
  return { line, rep, call, talkFrom, leg: repLeg(call) };
}

/** Telnyx saved the caller's voicemail recording. */
export function recordingSaved(call: TestCall, url: string, seconds: number) {
  const end = call.now();
  return call.send("call.recording.saved", call.callerLeg, "caller", {
    recording_urls: { mp3: url, wav: null },
    recording_started_at: new Date(end - seconds * 1000).toISOString(),
    recording_ended_at: new Date(end).toISOString(),
    channels: "single",
  });
}

/**
 * Posts one signed webhook for `call` and returns as soon as the route answered, without waiting
 * for the call's object to finish sending (to interleave events with a payment in flight).
 */
export async function deliver(
  call: TestCall,
  eventType: string,
  leg: string,
  role: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const payload = {
    call_control_id: leg,
    call_leg_id: leg,
    call_session_id: call.sessionId,
    connection_id: "conn-test",
    from: call.from,
    to: call.to,
    client_state: encodeClientState({ s: call.sessionId, r: role as "caller" }),
    ...extra,
  };
  const res = await postWebhook(envelope(eventType, payload, { at: call.now() }));
  const body = await res.json<{ result?: string }>();
  return body.result ?? `http ${res.status}`;
}

/**
 * Every Durable Object restarts: memory (the card fields) is gone, storage is kept, as after a
 * crash or an eviction. (evictDurableObject would wait ~10 s for the Telnyx client's request timer.)
 */
export const loseMemory = () => abortAllDurableObjects();
