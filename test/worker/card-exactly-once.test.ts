/**
 * A card is debited once per call, whatever Telnyx delivers: every webhook of a card call sent
 * twice, late webhooks after the call settled, the call's object losing its memory mid-talk, and a
 * settlement run again by hand — the balance, the ledger and the call rows change once.
 */
import { abortAllDurableObjects } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../src/db/client";
import { settleCardCall } from "../../src/products/calling-card/db/card-money";
import { TestCall } from "./support/call";
import { connect, destHangup, destLeg, enterCard, fireAlarm, placeCall } from "./support/card-call";
import { accountOfPin, cardCallsOf, ledgerOf, seedCards } from "./support/card-seed";
import { postWebhook } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();

/** Sends every webhook twice (the same id), as Telnyx does when an answer is slow. */
function twice(call: TestCall) {
  const send = call.send.bind(call);
  call.send = async (...args: Parameters<TestCall["send"]>) => {
    const first = await send(...args);
    const again = await postWebhook(first.body);
    expect(await again.json()).toMatchObject({ result: "duplicate" });
    await call.stub.idle();
    return first;
  };
}

describe("duplicate and late webhooks never debit twice", () => {
  it("every webhook delivered twice: one reservation, one debit, one ledger line", async () => {
    const { pins, batchId, line } = await seedCards({});
    const call = new TestCall("+15557774000", line.number);
    twice(call);
    await enterCard(call, pins[0]!);
    await placeCall(call, "011442079460000");
    await connect(call);
    call.advance(150_000);
    await destHangup(call);
    await fireAlarm(call);
    await call.hangup(call.callerLeg, "caller");
    expect(telnyx.ofAction("dial")).toHaveLength(1);
    expect(await cardCallsOf(call.sessionId)).toHaveLength(1);
    const account = await accountOfPin(batchId, 1);
    expect(account).toMatchObject({ balance: 482, reserved: 0, holds: 0 });
    expect((await ledgerOf(account!.id)).map((l) => [l.reason, l.amount])).toEqual([
      ["activation", 500],
      ["call", -18],
    ]);
  });

  it("late webhooks after the settlement, a lost memory mid-talk and a settlement re-run change nothing", async () => {
    const { pins, batchId, line } = await seedCards({});
    const call = new TestCall("+15557774001", line.number);
    await enterCard(call, pins[0]!);
    await placeCall(call, "011442079460000");
    await connect(call);
    call.advance(30_000);
    await abortAllDurableObjects(); // memory gone; storage (state, timers, outbox) kept
    call.advance(30_000);
    await call.hangup(call.callerLeg, "caller");
    await destHangup(call);
    const settled = await accountOfPin(batchId, 1);
    expect(settled).toMatchObject({ balance: 494, reserved: 0, holds: 0 });
    const sent = telnyx.sent.length;
    for (const late of [
      () => destHangup(call),
      () => call.send("call.answered", destLeg(call), "dest:1"),
      () => call.bridged(call.callerLeg, "caller"),
      () => call.hangup(call.callerLeg, "caller"),
      () => call.gathered("011442079460000"),
    ]) {
      call.advance(1_000);
      const { res } = await late();
      expect(await res.json()).toMatchObject({ result: "ended" });
    }
    expect(telnyx.sent.length).toBe(sent);
    // The settlement command itself run again (a retry after a lost answer): keyed, a no-op.
    const [row] = await cardCallsOf(call.sessionId);
    const again = await settleCardCall(
      createDb(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN).$client,
      {
        type: "settle_card_call",
        key: row!.id as string,
        accountId: settled!.id,
        outcome: "completed",
        destLegId: destLeg(call),
        talkStartedAt: Number(row!.talk_started_at),
        endedAt: Number(row!.ended_at),
        billableSeconds: 60,
        packageSeconds: 0,
        packageId: null,
        period: 0,
        amount: 6,
        connectionFee: 0,
        connectionTax: 0,
        costMicros: 20_000,
      },
      Date.now(),
    );
    expect(again).toMatchObject({ amount: 6, balance: 494 });
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 494, reserved: 0, holds: 0 });
    expect((await ledgerOf(settled!.id)).filter((l) => l.reason === "call")).toHaveLength(1);
  });
});
