/**
 * A two-stage calling-card call end to end: the real route with signed webhooks, the real
 * CallSession, the real migrations on the local libSQL server; only Telnyx's API is a fake.
 * PIN → balance → destination → rated → reserved → minutes announced → dial → talk → the called
 * party hangs up (the caller stays) → settled on the card → the next number, then the caller leaves.
 */
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import { connect, destHangup, fireAlarm, lastSaid, placeCall } from "./support/card-call";
import { accountOfPin, cardCallsOf, ledgerOf, seedCards } from "./support/card-seed";
import { callRecord } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();

const promptOf = (action: "speak" | "gather_using_speak") => lastSaid(telnyx, action);

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
    await destHangup(call);
    // The caller stays; after a short wait for an earlier hang-up of theirs, the call settles.
    await fireAlarm(call);
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
