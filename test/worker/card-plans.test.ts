/**
 * Plans at work, end to end: the cron applies one-time and recurring charges (taxed per the
 * batch's jurisdiction) once per account and period however often it runs; package minutes are
 * used before the balance and the plan's connection fee is charged per connected call; the
 * margin report adds up revenue, buy cost and Telnyx's cost. Also the one-stage modes: pinless
 * by a registered caller number (the PIN as fallback), and a DID bound to one destination.
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { api, json } from "./api-helpers";
import { TestCall } from "./support/call";
import { connect, destHangup, destLeg, enterCard, fireAlarm, lastSaid, placeCall } from "./support/card-call";
import { accountOfPin, ledgerOf, seedCards } from "./support/card-seed";
import { db } from "./support/seed";
import { envelope, postWebhook } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();
const DAY = 86_400_000;

async function runCron(at: number) {
  const ctx = createExecutionContext();
  worker.scheduled(createScheduledController({ scheduledTime: at, cron: "17 * * * *" }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function pinId(batchId: string, seq: number): Promise<number> {
  const rs = await db().$client.execute({
    sql: "SELECT id FROM cc_pins WHERE batch_id = ? AND seq = ?",
    args: [batchId, seq],
  });
  return Number(rs.rows[0]!.id);
}

describe("plan charges by the cron", () => {
  it("charges once per account and period, taxed, however often the cron runs", async () => {
    const cards = await seedCards({
      plan: {
        charges: [
          { kind: "one_time", amount: 100 },
          { kind: "recurring", amount: 50 },
        ],
        period: { unit: "month", count: 1 },
      },
      batch: { taxRatePpm: 100_000 },
    });
    const call = new TestCall("+15557778000", cards.line.number);
    await enterCard(call, cards.pins[0]!);
    await call.hangup(call.callerLeg, "caller");
    const account = await accountOfPin(cards.batchId, 1);
    const activated = Date.UTC(2026, 9, 15, 12);
    await db().$client.execute({
      sql: "UPDATE cc_accounts SET activated_at = ?, next_charge_at = ?, expires_at = ? WHERE id = ?",
      args: [activated, activated, activated + 365 * DAY, account!.id],
    });
    const at = Date.UTC(2026, 10, 20, 12); // in the second month: one-time + month 1 due
    await runCron(at);
    await runCron(at);
    await runCron(at + 3_600_000);
    const fees = async () => (await ledgerOf(account!.id)).filter((l) => l.reason.endsWith("_fee"));
    expect((await fees()).map((l) => [l.reason, l.amount, l.balanceAfter])).toEqual([
      ["one_time_fee", -110, 390],
      ["recurring_fee", -55, 335],
    ]);
    await runCron(Date.UTC(2026, 11, 16, 12));
    await runCron(Date.UTC(2026, 11, 16, 13));
    expect((await fees()).map((l) => l.amount)).toEqual([-110, -55, -55]);
    expect(await accountOfPin(cards.batchId, 1)).toMatchObject({ balance: 280 });
  });
});

describe("packages, connection fees and the margin report", () => {
  it("uses the package's free minutes first, then the balance; the connection fee per call; margins add up", async () => {
    const cards = await seedCards({
      plan: {
        packages: [{ prefixes: ["44"], freeSeconds: 120 }],
        charges: [{ kind: "connection", amount: 10 }],
      },
      batch: { taxRatePpm: 100_000 },
    });
    const call = new TestCall("+15557778100", cards.line.number);
    await enterCard(call, cards.pins[0]!);
    await placeCall(call, "011442079460000");
    // 4.89 after the 0.11 fee buys 81 minutes at 0.06, plus the package's 2.
    expect(lastSaid(telnyx, "speak")).toBe("You can talk for up to 83 minutes.");
    await connect(call);
    call.advance(90_000);
    await destHangup(call);
    await fireAlarm(call);
    await placeCall(call, "011442079460000");
    await connect(call, 2);
    call.advance(90_000);
    await destHangup(call, 2);
    await fireAlarm(call);
    await call.hangup(call.callerLeg, "caller");
    const account = await accountOfPin(cards.batchId, 1);
    expect((await ledgerOf(account!.id)).map((l) => [l.reason, l.amount])).toEqual([
      ["activation", 500],
      ["connection_fee", -11],
      ["call", -12],
      ["connection_fee", -11],
    ]);
    expect(account).toMatchObject({ balance: 466 });
    // Telnyx's own cost of the second dialled leg arrives after the call.
    const cost = envelope("call.cost", {
      call_session_id: call.sessionId,
      call_leg_id: destLeg(call, 2),
      call_control_id: destLeg(call, 2),
      total_cost: "0.0150",
      billed_duration_secs: 120,
      cost_parts: [{ currency: "USD", cost: "0.0150" }],
    });
    expect((await postWebhook(cost)).status).toBe(200);
    const day = new Date().toISOString().slice(0, 10);
    const report = await json<{ rows: Record<string, unknown>[] }>(
      await api(`/api/v1/card-reports/margin?from=${day}&to=${day}&group_by=batch`),
      200,
    );
    // Revenue 0 + 11 + 12 + 11 = 34 cents; cost 2 × 120 s at 0.02/min = 80 000 micro-units.
    expect(report.rows.find((r) => r.key === cards.batchId)).toEqual({
      key: cards.batchId,
      currency: "usd",
      calls: 2,
      billed_minutes: 4,
      revenue: 34,
      cost_micros: 80_000,
      margin_micros: 260_000,
      margin_percent: 76.47,
      telnyx_cost_micros: 15_000,
    });
  });
});

describe("one-stage calls", () => {
  it("pinless: a registered caller number stands for the PIN; an unknown one is asked for the PIN", async () => {
    const cards = await seedCards({ line: { mode: "pinless" } });
    const registered = await api(`/api/v1/pins/${await pinId(cards.batchId, 1)}/caller-ids`, {
      method: "POST",
      body: { number: "+15557778200" },
    });
    expect(registered.status).toBe(201);
    const location = registered.headers.get("location")!;
    expect(await json(await api(location), 200)).toEqual({
      pin_id: await pinId(cards.batchId, 1),
      number: "+15557778200",
    });
    const known = new TestCall("+15557778200", cards.line.number);
    await known.start();
    await known.answered();
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      "Welcome to Meterline Calling. You have 5.00 US dollars. Please enter the number you wish to call, followed by the pound key.",
    );
    const stranger = new TestCall("+15557778201", cards.line.number);
    await stranger.start();
    await stranger.answered();
    expect(lastSaid(telnyx, "gather_using_speak")).toBe(
      "Welcome to Meterline Calling. Please enter your PIN, followed by the pound key.",
    );
    await stranger.gathered(cards.pins[1]!);
    expect(lastSaid(telnyx, "gather_using_speak")).toMatch(/^You have 5\.00 US dollars\./);
  });

  it("direct: a DID bound to one destination dials it after the balance and the minutes", async () => {
    const cards = await seedCards({ line: { mode: "direct", destination: "+442079460000" } });
    await api(`/api/v1/pins/${await pinId(cards.batchId, 1)}/caller-ids`, {
      method: "POST",
      body: { number: "+15557778300" },
    });
    const call = new TestCall("+15557778300", cards.line.number);
    await call.start();
    await call.answered();
    expect(telnyx.ofAction("speak").map((s) => s.body.payload)).toEqual([
      "Welcome to Meterline Calling. You have 5.00 US dollars.",
      "You can talk for up to 83 minutes.",
    ]);
    await call.speakEnded();
    expect(telnyx.ofAction("dial")).toHaveLength(0);
    await call.speakEnded();
    expect(telnyx.ofAction("dial")[0]?.body).toMatchObject({ to: "+442079460000", bridge_on_answer: true });
  });
});
