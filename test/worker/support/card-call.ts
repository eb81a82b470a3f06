/**
 * A calling-card caller's usual steps, as signed webhooks through the real route: call the access
 * number and key the PIN, key a destination and hear the minutes, the destination leg ringing,
 * answering and being bridged, and it hanging up. Also: what Telnyx was asked to say last.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import type { TestCall } from "./call";
import type { FakeTelnyx } from "./telnyx";

export const destLeg = (call: TestCall, n = 1) => `v3:dest-${call.sessionId.slice(5, 17)}-${n}`;

/** The text of the last (or n-th) command of that action: a speak or a gather prompt. */
export function lastSaid(telnyx: FakeTelnyx, action: "speak" | "gather_using_speak", n = -1): string {
  const list = telnyx.ofAction(action);
  const cmd = list[n < 0 ? list.length + n : n];
  return typeof cmd?.body.payload === "string" ? cmd.body.payload : "";
}

/** Calls the access number and keys the PIN: the destination prompt is next. */
export async function enterCard(call: TestCall, pin: string) {
  await call.start();
  await call.answered();
  call.advance(4_000);
  await call.gathered(pin);
}

/** Keys a destination and hears the minutes to their end: the dial goes out. */
export async function placeCall(call: TestCall, keyed: string) {
  call.advance(5_000);
  await call.gathered(keyed);
  await call.speakEnded();
}

/** The destination rings, answers and is bridged: talk runs from the returned time. */
export async function connect(call: TestCall, n = 1): Promise<number> {
  const leg = destLeg(call, n);
  call.advance(1_000);
  await call.send("call.initiated", leg, `dest:${n}`, { direction: "outgoing", state: "bridging" });
  call.advance(4_000);
  const at = call.now();
  await call.send("call.answered", leg, `dest:${n}`);
  await call.bridged(call.callerLeg, "caller");
  await call.bridged(leg, `dest:${n}`);
  return at;
}

export function destHangup(call: TestCall, n = 1, cause = "normal_clearing") {
  return call.send("call.hangup", destLeg(call, n), `dest:${n}`, {
    hangup_cause: cause,
    hangup_source: "callee",
  });
}

/** Fires the call's alarm now (a timer the test waits for) and lets its object finish sending. */
export async function fireAlarm(call: TestCall) {
  await runDurableObjectAlarm(call.stub);
  await call.stub.idle();
}

/** Presses keys on the caller's leg outside any gather (call.dtmf.received, one per key). */
export async function pressKeys(call: TestCall, keys: string) {
  for (const digit of keys) await call.send("call.dtmf.received", call.callerLeg, "caller", { digit });
}
