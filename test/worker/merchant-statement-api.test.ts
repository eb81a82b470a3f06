/**
 * A merchant's daily statement through the API, from real calls: a per-minute call with a 10%
 * platform fee and a flat-rate call refunded because no rep answered. Its net is what the Stripe
 * stand-in's ledger says the merchant's account received.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../src/db/client";
import type { AdviceConfigInput } from "../../src/products/advice/config";
import { api, expectProblem, json } from "./api-helpers";
import { acceptTerms, agentRole, card, CARDS, connectRep, keyInCard, repLeg } from "./support/advice-call";
import { adviceLine, FLAT_RATE, PER_MINUTE } from "./support/advice-lines";
import { TestCall } from "./support/call";
import { createChargeableMerchant, ledgerOf } from "./support/merchants";
import { callRecord, db } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

useWireFakes();

async function merchantLine(config: AdviceConfigInput, merchantId: string) {
  const line = await adviceLine(config);
  await db().update(schema.lines).set({ merchantId }).where(eq(schema.lines.id, line.id));
  return line;
}

interface Statement {
  merchant_id: string;
  date: string;
  totals: Record<string, unknown>[];
  calls: { call_id: string; gross: number; refunds: number; fee: number; net: number }[];
}

describe("merchant statement", () => {
  it("sums the day's calls — gross, refunds, fees, net — and the net is what the merchant's account got", async () => {
    const merchant = await createChargeableMerchant("Statement Ltd");
    const perMinute = await merchantLine({ ...PER_MINUTE, platformFeeBasisPoints: 1000 }, merchant.id);
    const flat = await merchantLine(FLAT_RATE, merchant.id);

    // 2 min 5 s of talk: 3 minutes at 1.50 = 4.50, 10% fee 0.45.
    const a = new TestCall("+15557776001", perMinute.number);
    const rep = perMinute.agents[0]!;
    await acceptTerms(a);
    await keyInCard(a, card(CARDS.visa));
    await a.speakEnded();
    const talkFrom = await connectRep(a, rep.id);
    a.advance(125_000 - (a.now() - talkFrom));
    await a.hangup(a.callerLeg, "caller");
    a.advance(600);
    await a.hangup(repLeg(a), agentRole(rep.id));

    // 25.00 charged, refunded: no rep answered.
    const b = new TestCall("+15557776002", flat.number);
    await acceptTerms(b);
    await keyInCard(b, card(CARDS.visa));
    await b.speakEnded();
    await b.agentDialled(repLeg(b), flat.agents[0]!.id);
    b.advance(20_000);
    await b.hangup(repLeg(b), agentRole(flat.agents[0]!.id), "no_answer");
    await b.hangup(b.callerLeg, "caller");

    const ended = [await callRecord(a.sessionId), await callRecord(b.sessionId)];
    expect(ended.map((r) => r?.merchantId)).toEqual([merchant.id, merchant.id]);
    const date = new Date(ended[0]!.endedAt).toISOString().slice(0, 10);
    expect(new Date(ended[1]!.endedAt).toISOString().slice(0, 10)).toBe(date);

    const statement = await json<Statement>(
      await api(`/api/v1/merchants/${merchant.id}/statement?date=${date}`),
      200,
    );
    expect(statement.totals).toEqual([
      { currency: "usd", calls: 2, talk_seconds: 180, gross: 2950, refunds: 2500, fees: 45, net: 405 },
    ]);
    // Each test call keeps its own clock: compare by call, not by order.
    const byCall = (rows: (string | number)[][]) =>
      [...rows].sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(byCall(statement.calls.map((c) => [c.call_id, c.gross, c.refunds, c.fee, c.net]))).toEqual(
      byCall([
        [a.sessionId, 450, 0, 45, 405],
        [b.sessionId, 2500, 2500, 0, 0],
      ]),
    );
    // Reconciled: Stripe's books for the merchant's account say the same.
    expect((await ledgerOf(merchant.stripe_account_id)).balance).toBe(405);

    const csv = await api(`/api/v1/merchants/${merchant.id}/statement.csv?date=${date}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const rows = (await csv.text()).trimEnd().split("\r\n");
    expect(rows[0]).toBe(
      "call_id,line_id,ended_at,billable_seconds,currency,gross,refunds,fee,net,net_minor,payment_id",
    );
    expect(byCall(rows.slice(1).map((r) => [r.split(",")[0]!, ...r.split(",").slice(5, 10)]))).toEqual(
      byCall([
        [a.sessionId, "4.50", "0.00", "0.45", "4.05", "405"],
        [b.sessionId, "25.00", "25.00", "0.00", "0.00", "0"],
      ]),
    );

    // Another day is empty; an unknown merchant is 404; a bad date 422.
    const empty = await json<Statement>(
      await api(`/api/v1/merchants/${merchant.id}/statement?date=2020-01-01`),
      200,
    );
    expect(empty).toMatchObject({ totals: [], calls: [] });
    await expectProblem(await api(`/api/v1/merchants/mer_nope/statement?date=${date}`), 404);
    await expectProblem(await api(`/api/v1/merchants/${merchant.id}/statement?date=yesterday`), 422);
  });
});
