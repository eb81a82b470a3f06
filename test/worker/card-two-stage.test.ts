/**
 * A two-stage calling-card call end to end: the real route with signed webhooks, the real
 * CallSession, the real migrations on the local libSQL server; only Telnyx's API is a fake.
 * PIN → balance → destination → rated → reserved → minutes announced → dial → talk → the called
 * party hangs up (the caller stays) → settled on the card → the next number, then the caller leaves.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import { accountOfPin, cardCallsOf, ledgerOf, seedCards } from "./support/card-seed";
import { callRecord } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();

const promptOf = (action: string, n = -1) => {
  const list = telnyx.ofAction(action);
  const cmd = list[n < 0 ? list.length + n : n];
  return typeof cmd?.body.payload === "string" ? cmd.body.payload : "";
};

export const destLeg = (call: TestCall, n = 1) => `v3:dest-${call.sessionId.slice(5, 17)}-${n}`;

/** Calls the access number and keys the PIN: the destination prompt is next. */
export async function enterCard(call: TestCall, pin: string) {
  await call.start();
  await call.answered();
  call.advance(4_000);
  await call.gathered(pin);
}

/** Keys a destination; the minutes are announced; the announcement ends: the dial goes out. */
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

describe("two-stage calling card", () => {
  it("PIN, balance, rated call, reserved, cut to what it cost, settled once, next number", async () => {
    const { pins, batchId, line } = await seedCards({});
    const call = new TestCall("+15557771000", line.number);
    await call.start();
    expect(telnyx.actions()).toEqual(["answer"]);
    await call.answered();
    expect(promptOf("gather_using_speak")).toBe(
      "Welcome to Meterline Calling. Please enter your PIN, followed by the pound key.",
    );
    call.advance(4_000);
    await call.gathered(pins[0]!);
    // First use: the account opens with the face value, and the balance is spoken.
    const opened = await accountOfPin(batchId, 1);
    expect(opened).toMatchObject({ balance: 500, reserved: 0 });
    expect(promptOf("gather_using_speak")).toBe(
      "You have 5.00 US dollars. Please enter the number you wish to call, followed by the pound key.",
    );
    await placeCall(call, "011442079460000");
    expect(promptOf("speak")).toBe("You can talk for up to 83 minutes.");
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 500, reserved: 500, holds: 1 });
    const dial = telnyx.ofAction("dial")[0]!;
    expect(dial.body).toMatchObject({
      to: "+442079460000",
      from: line.number,
      link_to: call.callerLeg,
      bridge_on_answer: true,
      timeout_secs: 30,
    });
    const talkFrom = await connect(call);
    call.advance(90_000);
    await call.send("call.hangup", destLeg(call), "dest:1", {
      hangup_cause: "normal_clearing",
      hangup_source: "callee",
    });
    // The caller stays; after a short wait for an earlier hang-up of theirs, the call settles.
    await runDurableObjectAlarm(call.stub);
    await call.stub.idle();
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 488, reserved: 0, holds: 0 });
    expect(promptOf("gather_using_speak")).toBe(
      "Your call has ended. You have 4.88 US dollars. Please enter the number you wish to call, followed by the pound key.",
    );
    const [placed] = await cardCallsOf(call.sessionId);
    expect(placed).toMatchObject({
      status: "settled",
      outcome: "completed",
      prefix: "44",
      destination_name: "United Kingdom",
      billable_seconds: 120,
      amount: 12,
      cost_micros: 40_000,
      talk_started_at: talkFrom,
    });
    call.advance(3_000);
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toMatchObject({
      product: "calling_card",
      status: "completed",
      amount: 12,
      billableSeconds: 120,
      currency: "usd",
    });
    const account = await accountOfPin(batchId, 1);
    expect((await ledgerOf(account!.id)).map((l) => [l.reason, l.amount, l.balanceAfter])).toEqual([
      ["activation", 500, 500],
      ["call", -12, 488],
    ]);
  });
});
