/**
 * Many calls on one card at once never spend more than it has: each call is its own CallSession
 * (real objects in workerd), each reserves through the real route and the real libSQL server, all
 * at the same moment. The reservation is one conditional UPDATE, so the sum held never passes the
 * balance, the simultaneous-call limit holds, and after every call settles the ledger adds up.
 */
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import { connect, destHangup, enterCard } from "./support/card-call";
import { accountOfPin, cardCallsOf, ledgerOf, seedCards } from "./support/card-seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();
const N = 8;

async function racingCalls(maxSimultaneousCalls: number, faceValue: number) {
  const cards = await seedCards({
    deck: [{ prefix: "44", destination: "United Kingdom", sell: 1_000_000, buy: 300_000 }],
    batch: { faceValue },
    line: { maxSimultaneousCalls, maxCallMinutes: 5 },
  });
  const calls = Array.from(
    { length: N },
    (_, i) => new TestCall(`+1555777${String(3000 + i)}`, cards.line.number),
  );
  // Every caller keys the same PIN (the first activates the card; the rest find it open)...
  for (const call of calls) await enterCard(call, cards.pins[0]!);
  // ...then all key a destination at the same moment: N reservations race on one account.
  await Promise.all(calls.map((call) => call.gathered("011442079460000")));
  return { cards, calls };
}

describe("N simultaneous calls on one card", () => {
  it("with the default limit of 1: exactly one call gets a reservation, the others hear 'card in use'", async () => {
    const { cards, calls } = await racingCalls(1, 500);
    const account = await accountOfPin(cards.batchId, 1);
    expect(account).toMatchObject({ holds: 1, reserved: 500 });
    const held = (await Promise.all(calls.map((c) => cardCallsOf(c.sessionId)))).flat();
    expect(held.filter((c) => c.status === "held")).toHaveLength(1);
    expect(held.filter((c) => c.status === "refused")).toHaveLength(N - 1);
    const inUse = telnyx
      .ofAction("speak")
      .filter((s) => String(s.body.payload).startsWith("This card is in use"));
    expect(inUse).toHaveLength(N - 1);
  });

  it("with room for all of them: what they hold together never passes the balance, and the ledger adds up", async () => {
    // 1.00 USD/min, 5-minute calls cost 5.00 each: 12.00 covers two whole calls and part of a third.
    const { cards, calls } = await racingCalls(N, 1200);
    const before = await accountOfPin(cards.batchId, 1);
    expect(before!.reserved).toBeLessThanOrEqual(1200);
    const rows = (await Promise.all(calls.map((c) => cardCallsOf(c.sessionId)))).flat();
    const held = rows.filter((r) => r.status === "held");
    expect(held.reduce((sum, r) => sum + Number(r.reserved_amount), 0)).toBe(before!.reserved);
    expect(held.length).toBe(before!.holds);
    // 500 + 500 + 200: a fourth call finds less than its first minute (1.00) and is refused.
    expect(held.map((r) => Number(r.reserved_amount)).sort((a, b) => a - b)).toEqual([200, 500, 500]);
    // Every call that got a reservation connects and talks until its own cutoff, all at once.
    const talking = calls.filter((c) =>
      rows.some((r) => r.session_id === c.sessionId && r.status === "held"),
    );
    for (const call of talking) {
      await call.speakEnded();
      await connect(call);
    }
    await Promise.all(
      talking.map(async (call) => {
        call.advance(10 * 60_000);
        await call.hangup(call.callerLeg, "caller");
        await destHangup(call);
      }),
    );
    const after = await accountOfPin(cards.batchId, 1);
    expect(after).toMatchObject({ reserved: 0, holds: 0 });
    expect(after!.balance).toBeGreaterThanOrEqual(0);
    const ledger = await ledgerOf(after!.id);
    const debits = ledger.filter((l) => l.reason === "call").reduce((sum, l) => sum - l.amount, 0);
    expect(debits).toBe(1200 - after!.balance);
    expect(debits).toBeLessThanOrEqual(1200);
  });
});
