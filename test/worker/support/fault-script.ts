/**
 * A call written down before it is played: ScriptedCall records the signed webhooks the usual
 * helpers (acceptTerms, keyInCard, connectRep, …) would send, as a list the fault matrix can
 * duplicate, reorder, delay or drop. `play` then delivers them through the real route the way
 * Telnyx would, redelivering any that got a 5xx.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { TestCall } from "./call";
import { envelope, postWebhook } from "./telnyx";

export interface Delivery {
  body: ReturnType<typeof envelope>;
  eventType: string;
  leg: string;
  /** The leg's role as its client_state names it (null on the caller's first event). */
  role: string | null;
  at: number;
}

export class ScriptedCall extends TestCall {
  readonly script: Delivery[] = [];

  override send(
    eventType: string,
    leg: string,
    role: string | null,
    extra: Record<string, unknown> = {},
    id?: string,
    at = this.now(),
  ) {
    const body = envelope(eventType, this.payload(leg, role, extra), { at, ...(id ? { id } : {}) });
    this.script.push({ body, eventType, leg, role, at });
    return Promise.resolve({ res: Response.json({ result: "scripted" }), id: body.data.id, body });
  }

  /** Builds one more delivery at the call's clock without adding it to the script. */
  async extra(eventType: string, leg: string, role: string, payload: Record<string, unknown> = {}) {
    await this.send(eventType, leg, role, payload);
    return this.script.pop()!;
  }
}

export const isHangup = (d: Delivery) => d.eventType === "call.hangup";

/**
 * Events about the legs themselves (another leg ringing, answering, being bridged, hanging up),
 * which Telnyx may deliver in any order. A prompt's result (gather, speak) and the caller's own
 * answer follow a command of ours, so nothing before that command can come after them.
 */
export function isNetworkEvent(d: Delivery, callerLeg: string): boolean {
  if (d.eventType === "call.bridged" || d.eventType === "call.hangup") return true;
  return d.leg !== callerLeg && (d.eventType === "call.initiated" || d.eventType === "call.answered");
}

/** Posts one webhook and waits for the call's object to send what it wanted to. */
export async function deliver(call: TestCall, d: Delivery): Promise<{ status: number; result: string }> {
  const res = await postWebhook(d.body);
  const body = await res.json<{ result?: string }>().catch(() => ({ result: undefined }));
  await call.stub.idle();
  return { status: res.status, result: body.result ?? `http ${res.status}` };
}

/** When the call's object next wants to run (its alarm), or null. */
export const alarmOf = (call: TestCall) =>
  runInDurableObject(call.stub, (_o, state) => state.storage.getAlarm());

/** Runs the call's alarms due within `ms` of now, as that much time passing would (bounded); how many ran. */
export async function letTimePass(call: TestCall, ms: number, maxAlarms = 40): Promise<number> {
  const until = Date.now() + ms;
  for (let i = 0; i < maxAlarms; i++) {
    const at = await alarmOf(call);
    if (at === null || at > until) return i;
    await runDurableObjectAlarm(call.stub);
    await call.stub.idle();
  }
  return maxAlarms;
}

/** Runs alarms only while commands wait for a retry (their back-off is shorter than any prompt's timer). */
export async function drainRetries(call: TestCall, maxAlarms = 12): Promise<void> {
  for (let i = 0; i < maxAlarms && ((await call.stub.inspect())?.outbox ?? 0) > 0; i++) {
    await runDurableObjectAlarm(call.stub);
    await call.stub.idle();
  }
}
