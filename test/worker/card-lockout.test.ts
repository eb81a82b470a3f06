/**
 * The PIN lockout, end to end: wrong PINs are retried within the line's tries (wrong length, `*`
 * and silence too); 5 refused PINs from one caller number in 24 hours lock it for 24 hours (said
 * in words), after which the caller is let in again; a PIN tried wrongly from 5 numbers locks too.
 * Also the card rules a correct PIN can still meet: blocked, expired, not yet valid.
 */
import { describe, expect, it } from "vitest";
import { callerKey, LOCK_MS, WINDOW_MS } from "../../src/products/calling-card/db/lockout";
import { TestCall } from "./support/call";
import { enterCard, lastSaid } from "./support/card-call";
import { accountOfPin, seedCards, testPins } from "./support/card-seed";
import { db } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();
const LOCKED = "Too many wrong PIN entries. This card is locked. Please try again in 24 hours. Goodbye.";

describe("PIN entry and the lockout", () => {
  it("wrong length, * and silence are asked again; an unknown PIN too, within the tries", async () => {
    const { line } = await seedCards({ line: { pinTries: 5 } });
    const call = new TestCall("+15557775000", line.number);
    await call.start();
    await call.answered();
    await call.gathered("1234");
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      "That entry was not valid. Please enter your PIN, followed by the pound key.",
    );
    await call.gathered("12*");
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      "Sorry, please enter your PIN again. Please enter your PIN, followed by the pound key.",
    );
    await call.gathered("", "timeout");
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      "We did not receive your entry. Please enter your PIN, followed by the pound key.",
    );
    await call.gathered(testPins(1)[0]!);
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      "That PIN is not valid. Please enter your PIN, followed by the pound key.",
    );
    await call.gathered(testPins(1)[0]!);
    expect(lastSaid(telnyx, "speak")).toBe(
      "That PIN is not valid. Sorry, we could not accept your PIN. Goodbye.",
    );
  });

  it("5 refused PINs from one number lock it for 24 hours, even for a right PIN; then it ends", async () => {
    const { pins, line, batchId } = await seedCards({});
    const from = `+1555${String(Date.now()).slice(-7)}`;
    for (let attempt = 0; attempt < 2; attempt++) {
      const call = new TestCall(from, line.number);
      await call.start();
      await call.answered();
      for (const pin of testPins(attempt === 0 ? 3 : 2)) await call.gathered(pin);
    }
    // The fifth refusal locked the number: it is said, with the time left, and the call ends.
    expect(lastSaid(telnyx, "speak")).toBe(LOCKED);
    const third = new TestCall(from, line.number);
    await enterCard(third, pins[0]!);
    expect(lastSaid(telnyx, "speak")).toBe(LOCKED);
    expect(await accountOfPin(batchId, 1)).toBeNull();
    // 24 hours later (the lock and the failures moved into the past): the right PIN works again.
    const client = db().$client;
    await client.batch(
      [
        {
          sql: "UPDATE cc_pin_lockouts SET locked_until = ? WHERE key = ?",
          args: [Date.now() - 1, callerKey(from)],
        },
        {
          sql: "UPDATE cc_pin_failures SET at = at - ? WHERE key = ?",
          args: [WINDOW_MS + LOCK_MS, callerKey(from)],
        },
      ],
      "write",
    );
    const later = new TestCall(from, line.number);
    await enterCard(later, pins[0]!);
    expect(lastSaid(telnyx, "gather_using_speak")).toMatch(/^You have 5\.00 US dollars\./);
  });

  it("one wrong PIN tried from 5 numbers locks that PIN", async () => {
    const { line } = await seedCards({});
    const wrong = testPins(1)[0]!;
    for (let i = 0; i < 5; i++) {
      const call = new TestCall(`+1555${String(Date.now() + i).slice(-7)}`, line.number);
      await enterCard(call, wrong);
    }
    expect(lastSaid(telnyx, "speak")).toBe(LOCKED);
  });
});

describe("what a right PIN can still meet", () => {
  it("a blocked card, an expired batch and a batch not yet effective are refused in words", async () => {
    const DAY = 86_400_000;
    const cases = [
      [{ batch: {} }, "blocked", "This card has been blocked. Goodbye."],
      [{ batch: { expiresAt: Date.now() - DAY } }, null, "This card has expired. Goodbye."],
      [{ batch: { effectiveAt: Date.now() + DAY } }, null, "This card cannot be used yet. Goodbye."],
    ] as const;
    for (const [opts, block, said] of cases) {
      const { pins, batchId, line } = await seedCards(opts);
      if (block)
        await db().$client.execute({
          sql: "UPDATE cc_batches SET blocked = 1 WHERE id = ?",
          args: [batchId],
        });
      const call = new TestCall("+15557775009", line.number);
      await enterCard(call, pins[0]!);
      expect(lastSaid(telnyx, "speak")).toBe(said);
      expect(await accountOfPin(batchId, 1)).toBeNull();
    }
  });

  it("activation sets expiry to the earlier of activation + the batch's days and its expiration", async () => {
    const DAY = 86_400_000;
    const soon = Date.now() + 10 * DAY;
    const { pins, batchId, line } = await seedCards({
      batch: { expiryDays: 30, expiresAt: soon },
      pins: testPins(2),
    });
    await enterCard(new TestCall("+15557775010", line.number), pins[0]!);
    const account = await accountOfPin(batchId, 1);
    expect(account!.expiresAt).toBe(soon);
    const { pins: p2, batchId: b2, line: l2 } = await seedCards({ batch: { expiryDays: 30 } });
    await enterCard(new TestCall("+15557775011", l2.number), p2[0]!);
    const a2 = await accountOfPin(b2, 1);
    expect(a2!.expiresAt - a2!.activatedAt).toBe(30 * DAY);
  });
});
