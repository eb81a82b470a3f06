/**
 * An agent-line call's money, end to end in workerd (real CallSession/LineSession objects, real
 * libSQL, signed webhooks; only Telnyx's API is a fake): credit reserved per call and never spent
 * twice — not even by 50 calls of one customer at once — the warning and the cutoff when it runs
 * out, one order per call whatever is redelivered, an invoice at the limit and not before, and a
 * blocked customer told what they owe.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { agentRole, connectRep, loseMemory, payloadOf, repLeg } from "./support/advice-call";
import {
  activeReservations,
  agentLineFixture,
  customerRow,
  dialIn,
  invoicesOf,
  ordersOf,
  seedCustomer,
  type AgentLineFixture,
} from "./support/agent-line";
import type { TestCall } from "./support/call";
import { callRecord, db } from "./support/seed";
import { postWebhook } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";
import { creditReservations } from "../../src/products/agent-line/schema";
import { eq, sql } from "drizzle-orm";

const { telnyx } = useWireFakes();

const speeches = () => telnyx.ofAction("speak").map((c) => c.body);
const lastSpeech = () => payloadOf(telnyx.ofAction("speak").at(-1));
const CONNECTING = "Thank you. Connecting you to an agent.";

/** The call's reserved agent rings, answers and is bridged; talk runs from the returned time. */
async function talkTo(
  call: TestCall,
  fx: AgentLineFixture,
  n = 0,
): Promise<{ leg: string; agentId: string; from: number }> {
  const dial = telnyx.ofAction("dial").find((d) => d.body.link_to === call.callerLeg);
  const agent = fx.agents.find((a) => a.destination === dial?.body.to) ?? fx.agents[n]!;
  const leg = repLeg(call);
  const from = await connectRep(call, agent.id, leg);
  return { leg, agentId: agent.id, from };
}

/** Both hang up (the caller first), `talk` ms after talk began. */
async function bothHangUp(call: TestCall, t: { leg: string; agentId: string; from: number }, talkMs: number) {
  call.advance(t.from + talkMs - call.now());
  await call.hangup(call.callerLeg, "caller");
  call.advance(400);
  await call.hangup(t.leg, agentRole(t.agentId));
}

/** Runs the call's earliest timer (its alarm), as time passing would. */
async function nextTimer(call: TestCall) {
  expect(await runDurableObjectAlarm(call.stub)).toBe(true);
  await call.stub.idle();
}

describe("credit reserved, talk billed once", () => {
  it("61 s of talk: 2 minutes and the connection fee on one order; the reservation released", async () => {
    const fx = await agentLineFixture();
    const customer = await seedCustomer(fx, { creditLimit: 100_000 });
    const call = await dialIn(fx, customer.number);
    expect(lastSpeech()).toBe(CONNECTING);
    const talk = await talkTo(call, fx);
    await bothHangUp(call, talk, 61_000);
    const orders = await ordersOf(customer.id);
    expect(
      orders.map((o) => [o.id, o.talkSeconds, o.billableSeconds, o.pricePerMinute, o.extras, o.amount]),
    ).toEqual([[call.sessionId, 61, 120, 1990, 495, 4475]]);
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      billableSeconds: 120,
      amount: 4475,
      currency: "sek",
    });
    expect(await customerRow(customer.id)).toMatchObject({ openBalance: 4475, status: "active" });
    expect(await activeReservations(customer.id)).toHaveLength(0);
    expect(await invoicesOf(customer.id)).toHaveLength(0);
  });

  it("a discount is on the order: 10 % off 19.90 is 17.91 a minute", async () => {
    const fx = await agentLineFixture();
    const customer = await seedCustomer(fx, { discountBp: 1000 });
    const call = await dialIn(fx, customer.number);
    await bothHangUp(call, await talkTo(call, fx), 125_000);
    expect((await ordersOf(customer.id)).map((o) => [o.billableSeconds, o.pricePerMinute, o.amount])).toEqual(
      [[180, 1791, 3 * 1791 + 495]],
    );
  });

  it("credit exhausted mid-call: no more to reserve, both warned 60 s before, cut off at the limit", async () => {
    const fx = await agentLineFixture({ warningSec: 60 });
    // 50.00 SEK: after the 4.95 fee, two whole minutes at 19.90.
    const customer = await seedCustomer(fx, { creditLimit: 5000 });
    const call = await dialIn(fx, customer.number);
    const talk = await talkTo(call, fx);
    const spoken = speeches().length;
    await nextTimer(call); // 30 s: more credit is asked for ahead of the limit, and refused
    expect((await activeReservations(customer.id)).map((r) => r.amount)).toEqual([5000]);
    await nextTimer(call); // 60 s: the warning, to both parties
    expect(speeches().slice(spoken)).toEqual([
      expect.objectContaining({ payload: "Your credit runs out in 1 minute.", target_legs: "both" }),
    ]);
    expect(telnyx.ofAction("hangup")).toHaveLength(0);
    await nextTimer(call); // 120 s: the cutoff
    expect(
      telnyx
        .ofAction("hangup")
        .map((c) => c.leg)
        .sort(),
    ).toEqual([call.callerLeg, talk.leg].sort());
    await bothHangUp(call, talk, 121_000);
    expect(await callRecord(call.sessionId)).toMatchObject({
      status: "completed",
      endedBy: "system",
      hangupCause: "time_limit",
      billableSeconds: 120,
      amount: 4475,
    });
    // 50.00 − 44.75 leaves less than a minute's call: the order went straight onto an invoice.
    const [invoice] = await invoicesOf(customer.id);
    expect(invoice?.status).toBe("draft");
    expect(await customerRow(customer.id)).toMatchObject({ openBalance: 0, status: "blocked" });
  });
});

describe("the line's overdraft", () => {
  it("lets talk run past the limit by the overdraft, and the order goes over it", async () => {
    const fx = await agentLineFixture({ overdraft: 3000 });
    const customer = await seedCustomer(fx, { creditLimit: 5000 });
    const call = await dialIn(fx, customer.number);
    // 50.00 of limit + 30.00 of overdraft: 80.00 reserved, 3 minutes after the fee.
    expect((await activeReservations(customer.id)).map((r) => r.amount)).toEqual([8000]);
    await bothHangUp(call, await talkTo(call, fx), 10 * 60_000);
    expect((await ordersOf(customer.id)).map((o) => [o.billableSeconds, o.amount])).toEqual([
      [180, 3 * 1990 + 495],
    ]);
  });
});

describe("invoiced at the credit limit", () => {
  it("not before: a first call leaves enough for another; the second draws the invoice and blocks the customer", async () => {
    const fx = await agentLineFixture();
    const customer = await seedCustomer(fx, { creditLimit: 10_000 });
    const first = await dialIn(fx, customer.number);
    await bothHangUp(first, await talkTo(first, fx), 61_000);
    expect(await invoicesOf(customer.id)).toHaveLength(0);
    expect(await customerRow(customer.id)).toMatchObject({ openBalance: 4475, status: "active" });

    const second = await dialIn(fx, customer.number);
    expect(lastSpeech()).toBe(CONNECTING);
    await bothHangUp(second, await talkTo(second, fx), 61_000);
    // 10000 − 8950 = 1050 left: less than a minute's call (24.85), so the open orders are invoiced.
    const [invoice, ...more] = await invoicesOf(customer.id);
    expect(more).toHaveLength(0);
    expect(invoice).toMatchObject({
      status: "draft",
      kind: "invoice",
      series: fx.config.invoiceSeries,
      number: 1,
    });
    expect((await ordersOf(customer.id)).every((o) => o.invoiceId === invoice!.id)).toBe(true);
    expect(await customerRow(customer.id)).toMatchObject({ openBalance: 0, status: "blocked" });

    // Blocked until paid: told what is owed (89.50 + 25 % VAT = 111.88), and no credit is reserved.
    const third = await dialIn(fx, customer.number);
    expect(lastSpeech()).toBe(
      "You have an unpaid invoice of 111.88 Swedish kronor. You can call again once it is paid. Goodbye.",
    );
    expect(await activeReservations(customer.id)).toHaveLength(0);
    expect(telnyx.ofAction("dial").filter((d) => d.body.link_to === third.callerLeg)).toHaveLength(0);
  });
});

describe("one customer, many calls at once", () => {
  it("50 simultaneous calls never reserve or spend more than the credit limit", async () => {
    const fx = await agentLineFixture({}, 3);
    const limit = 30_000;
    const customer = await seedCustomer(fx, { creditLimit: limit });
    const calls = await Promise.all(Array.from({ length: 50 }, () => dialIn(fx, customer.number)));
    const held = await activeReservations(customer.id);
    expect(held.reduce((s, r) => s + r.amount, 0)).toBeLessThanOrEqual(limit);
    // 20395 for the first block, the 9605 left for one more; the other 48 are refused.
    expect(held.map((r) => r.amount).sort((a, b) => a - b)).toEqual([9605, 20_395]);
    const funded = calls.filter((c) => held.some((r) => r.callId === c.sessionId));
    expect(funded).toHaveLength(2);
    const refused = calls.filter((c) => !funded.includes(c));
    for (const call of refused) {
      const spoken = telnyx
        .ofAction("speak")
        .filter((s) => s.leg === call.callerLeg)
        .map((s) => payloadOf(s));
      expect(spoken.at(-1)).toBe("Your credit is used up for now. Please contact customer service. Goodbye.");
    }
    // Both talk 10 minutes, past what the second call's credit pays for (4 minutes: 9605 − 4.95
    // fee = 91.10 SEK at 19.90): each is billed up to its own limit, never past it.
    for (const call of funded) {
      const talk = await talkTo(call, fx);
      await bothHangUp(call, talk, 10 * 60_000);
    }
    const orders = await ordersOf(customer.id);
    expect(orders.map((o) => o.billableSeconds).sort((a, b) => a - b)).toEqual([240, 600]);
    expect(orders.reduce((s, o) => s + o.amount, 0)).toBeLessThanOrEqual(limit);
    const [row] = await db()
      .select({ n: sql<number>`count(*)` })
      .from(creditReservations)
      .where(eq(creditReservations.customerId, customer.id));
    expect(Number(row?.n)).toBe(2);
  });
});

describe("duplicated, late and out-of-order webhooks", () => {
  it("redelivered and reordered hang-ups, and a restart before settling, still make exactly one order", async () => {
    const fx = await agentLineFixture();
    const customer = await seedCustomer(fx);
    const call = await dialIn(fx, customer.number);
    const talk = await talkTo(call, fx);
    // The agent's hang-up happened first (at 90 s) but arrives after the caller's (at 95 s).
    call.advance(talk.from + 95_000 - call.now());
    const callerGone = await call.hangup(call.callerLeg, "caller");
    expect(await (await postWebhook(callerGone.body)).json()).toMatchObject({ result: "duplicate" });
    await loseMemory();
    await call.send(
      "call.hangup",
      talk.leg,
      agentRole(talk.agentId),
      { hangup_cause: "normal_clearing", hangup_source: "callee" },
      undefined,
      talk.from + 90_000,
    );
    await vi.waitFor(async () => {
      await runDurableObjectAlarm(call.stub);
      await call.stub.idle();
      if (!(await callRecord(call.sessionId))) throw new Error("not settled yet");
    });
    // Late ones after the record, with new ids: they are taken (2xx, so Telnyx stops) and change nothing.
    const sent = telnyx.sent.length;
    for (const late of [
      () => call.hangup(talk.leg, agentRole(talk.agentId)),
      () => call.hangup(call.callerLeg, "caller"),
      () => call.bridged(call.callerLeg, "caller"),
    ]) {
      const { res } = await late();
      expect(res.status).toBe(200);
    }
    expect(telnyx.sent.length).toBe(sent);
    const orders = await ordersOf(customer.id);
    expect(orders.map((o) => [o.talkSeconds, o.billableSeconds, o.amount])).toEqual([[90, 120, 4475]]);
    expect((await customerRow(customer.id)).openBalance).toBe(4475);
    expect(await callRecord(call.sessionId)).toMatchObject({ billableSeconds: 120, amount: 4475 });
  });
});
