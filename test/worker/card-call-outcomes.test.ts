/**
 * What a card call can come to, end to end through the real route and objects: "##" for a next
 * call without the PIN, the warning and the cutoff at the balance, busy / no answer / unknown
 * numbers (a reason each, no charge), an invalid or unrated number (asked again, no charge).
 */
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import {
  connect,
  destHangup,
  destLeg,
  enterCard,
  fireAlarm,
  lastSaid,
  placeCall,
  pressKeys,
} from "./support/card-call";
import { accountOfPin, cardCallsOf, ledgerOf, seedCards } from "./support/card-seed";
import { callRecord } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();
const NEXT_PROMPT = "Please enter the number you wish to call, followed by the pound key.";

describe("the next call and the cutoff", () => {
  it("## ends the call, keeps the caller, settles it and asks for the next number without the PIN", async () => {
    const { pins, batchId, line } = await seedCards({});
    const call = new TestCall("+15557772000", line.number);
    await enterCard(call, pins[0]!);
    await placeCall(call, "011442079460000");
    await connect(call);
    call.advance(30_000);
    const hangupsBefore = telnyx.ofAction("hangup").length;
    await pressKeys(call, "##");
    expect(
      telnyx
        .ofAction("hangup")
        .slice(hangupsBefore)
        .map((h) => h.leg),
    ).toEqual([destLeg(call)]);
    call.advance(500);
    await destHangup(call);
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      `Your call has ended. You have 4.94 US dollars. ${NEXT_PROMPT}`,
    );
    // The second call, to the US, on the same session and card.
    await placeCall(call, "2125551234");
    expect(telnyx.ofAction("dial")[1]?.body).toMatchObject({ to: "+12125551234" });
    await connect(call, 2);
    call.advance(61_000);
    await call.hangup(call.callerLeg, "caller");
    await destHangup(call, 2);
    const placed = await cardCallsOf(call.sessionId);
    expect(placed.map((c) => [c.prefix, c.outcome, c.billable_seconds, c.amount])).toEqual([
      ["44", "completed", 60, 6],
      ["1", "completed", 120, 4],
    ]);
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 490, reserved: 0, holds: 0 });
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      amount: 10,
      billableSeconds: 180,
    });
  });

  it("warns a minute before the balance runs out and cuts the call at it: the card pays its whole balance", async () => {
    const { pins, batchId, line } = await seedCards({
      deck: [{ prefix: "44", destination: "United Kingdom", sell: 500_000, buy: 100_000 }],
      batch: { faceValue: 100 },
    });
    const call = new TestCall("+15557772001", line.number);
    await enterCard(call, pins[0]!);
    await placeCall(call, "011442079460000");
    expect(lastSaid(telnyx, "speak")).toBe("You can talk for up to 2 minutes.");
    const talkFrom = await connect(call);
    const cutoff = () => telnyx.ofAction("hangup").length >= 2;
    for (let i = 0; i < 6 && !cutoff(); i++) await fireAlarm(call);
    expect(telnyx.ofAction("speak").map((s) => s.body)).toContainEqual(
      expect.objectContaining({ payload: "Your call will end in one minute.", target_legs: "both" }),
    );
    expect(
      telnyx
        .ofAction("hangup")
        .map((h) => h.leg)
        .sort(),
    ).toEqual([call.callerLeg, destLeg(call)].sort());
    call.advance(200_000);
    await destHangup(call);
    await call.hangup(call.callerLeg, "caller");
    const [placed] = await cardCallsOf(call.sessionId);
    expect(placed).toMatchObject({
      outcome: "cut_off",
      billable_seconds: 120,
      amount: 100,
      ended_at: talkFrom + 120_000,
    });
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 0, reserved: 0, holds: 0 });
    expect(await callRecord(call.sessionId)).toMatchObject({ amount: 100, billableSeconds: 120 });
  });
});

describe("calls that do not connect cost nothing", () => {
  const cases = [
    ["user_busy", "The number you called is busy. You have not been charged.", "busy"],
    ["not_found", "The number you called does not exist. You have not been charged.", "not_found"],
    ["call_rejected", "The call was not accepted. You have not been charged.", "rejected"],
  ] as const;
  for (const [cause, said, outcome] of cases)
    it(`${cause}: says so, releases the reservation, asks for another number`, async () => {
      const { pins, batchId, line } = await seedCards({});
      const call = new TestCall("+15557772002", line.number);
      await enterCard(call, pins[0]!);
      await placeCall(call, "011442079460000");
      call.advance(1_000);
      await call.send("call.initiated", destLeg(call), "dest:1", {
        direction: "outgoing",
        state: "bridging",
      });
      call.advance(600);
      await destHangup(call, 1, cause);
      expect(lastSaid(telnyx, "gather_using_speak")).toBe(`${said} You have 5.00 US dollars. ${NEXT_PROMPT}`);
      expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 500, reserved: 0, holds: 0 });
      expect((await cardCallsOf(call.sessionId))[0]).toMatchObject({ outcome, amount: 0, status: "settled" });
      const account = await accountOfPin(batchId, 1);
      expect((await ledgerOf(account!.id)).map((l) => l.reason)).toEqual(["activation"]);
    });

  it("no answer: our ring backstop hangs the leg up and says so", async () => {
    const { pins, line } = await seedCards({});
    const call = new TestCall("+15557772003", line.number);
    await enterCard(call, pins[0]!);
    await placeCall(call, "011442079460000");
    await call.send("call.initiated", destLeg(call), "dest:1", { direction: "outgoing", state: "bridging" });
    await fireAlarm(call);
    expect(telnyx.ofAction("hangup").map((h) => h.leg)).toEqual([destLeg(call)]);
    expect(lastSaid(telnyx, "gather_using_speak")).toMatch(
      /^The number you called could not be reached\. You have not been charged\./,
    );
  });

  it("an invalid or unrated number is refused before anything is reserved, then asked again", async () => {
    const { pins, batchId, line } = await seedCards({});
    const call = new TestCall("+15557772004", line.number);
    await enterCard(call, pins[0]!);
    await call.gathered("911");
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      `That number is not valid. Include the area code, or the country code after 0 1 1. ${NEXT_PROMPT}`,
    );
    await call.gathered("0033142278186");
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      `Sorry, calls to that number are not available with this card. ${NEXT_PROMPT}`,
    );
    expect(telnyx.ofAction("dial")).toEqual([]);
    expect(await cardCallsOf(call.sessionId)).toEqual([]);
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 500, reserved: 0 });
  });
});
