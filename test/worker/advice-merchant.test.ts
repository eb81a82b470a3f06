/**
 * Advice lines of merchants paid directly, end to end: the hold, the capture and the flat-rate
 * charge are destination charges to the merchant's Stripe account (on its behalf), the platform's
 * fee is an application fee sized to what is charged (none by default), a refund takes the money
 * back from the merchant; a merchant whose account cannot take charges gets no call charged.
 * Where the money went is read from the Stripe stand-in's per-account ledger.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../src/db/client";
import type { AdviceConfigInput } from "../../src/products/advice/config";
import { TestCall } from "./support/call";
import { acceptTerms, agentRole, card, CARDS, connectRep, keyInCard, repLeg } from "./support/advice-call";
import { adviceLine, FLAT_RATE, PER_MINUTE } from "./support/advice-lines";
import { CAPTURE, CONFIRM, INTENTS, REFUNDS } from "./support/advice-stripe";
import { createChargeableMerchant, createMerchant, ledgerOf, setStripeFlags } from "./support/merchants";
import { callRecord, db } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

async function merchantLine(config: AdviceConfigInput, merchant: { id: string }) {
  const line = await adviceLine(config);
  await db().update(schema.lines).set({ merchantId: merchant.id }).where(eq(schema.lines.id, line.id));
  return line;
}

/** Through terms, card and hold, 2 min 5 s of talk, caller hangs up: 3 minutes at 1.50 = 4.50. */
async function perMinuteCall(line: Awaited<ReturnType<typeof adviceLine>>, from: string) {
  const rep = line.agents[0]!;
  const call = new TestCall(from, line.number);
  await acceptTerms(call);
  await keyInCard(call, card(CARDS.visa));
  await call.speakEnded();
  const talkFrom = await connectRep(call, rep.id);
  call.advance(125_000 - (call.now() - talkFrom));
  await call.hangup(call.callerLeg, "caller");
  // Telnyx reports the rep's leg ended too (our hang-up): the call settles.
  call.advance(600);
  await call.hangup(repLeg(call), agentRole(rep.id));
  return call;
}

const entries = (ledger: { entries: { type: string; amount: number }[] }) =>
  ledger.entries.map((e) => [e.type, e.amount]);

describe("advice lines of a merchant paid directly", () => {
  it("per minute: the hold and its capture land on the merchant's account, no platform fee by default", async () => {
    const merchant = await createChargeableMerchant("Ask Anna Ltd");
    const call = await perMinuteCall(await merchantLine(PER_MINUTE, merchant), "+15557775001");

    const hold = stripe.ok("POST", INTENTS)[0]!.body!;
    expect(hold).toMatchObject({
      amount: 3000,
      capture_method: "manual",
      transfer_data: { destination: merchant.stripe_account_id },
      on_behalf_of: merchant.stripe_account_id,
      application_fee_amount: null,
    });
    expect(stripe.ok("POST", CAPTURE)[0]?.body).toMatchObject({ amount_received: 450, status: "succeeded" });
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "completed", amount: 450 });
    // 100% payout: the whole 4.50 is the merchant's.
    const ledger = await ledgerOf(merchant.stripe_account_id);
    expect(entries(ledger)).toEqual([["payment", 450]]);
    expect(ledger.balance).toBe(450);
  });

  it("per minute with a 10% platform fee: the fee is sized to the captured amount, not the hold", async () => {
    const merchant = await createChargeableMerchant();
    const line = await merchantLine({ ...PER_MINUTE, platformFeeBasisPoints: 1000 }, merchant);
    await perMinuteCall(line, "+15557775002");

    // The hold asks 10% of 30.00; the capture of 4.50 resets it to 10% of 4.50.
    expect(stripe.ok("POST", INTENTS)[0]?.body).toMatchObject({ amount: 3000, application_fee_amount: 300 });
    expect(stripe.ok("POST", CAPTURE)[0]?.body).toMatchObject({
      amount_received: 450,
      application_fee_amount: 45,
    });
    const ledger = await ledgerOf(merchant.stripe_account_id);
    expect(entries(ledger)).toEqual([
      ["payment", 450],
      ["application_fee", -45],
    ]);
    expect(ledger.balance).toBe(405);
    // The fee is the platform's.
    const feeId = ledger.entries[1]!.source;
    const platform = await ledgerOf("platform");
    expect(platform.entries.filter((e) => e.source === feeId).map((e) => [e.type, e.amount])).toEqual([
      ["application_fee", 45],
    ]);
  });

  it("flat rate: the fee is charged to the merchant's account; refunded from it when no rep answers", async () => {
    const merchant = await createChargeableMerchant("Fixit Inc");
    const line = await merchantLine({ ...FLAT_RATE, platformFeeBasisPoints: 250 }, merchant);
    const rep = line.agents[0]!;
    const call = new TestCall("+15557775003", line.number);
    await acceptTerms(call);
    await keyInCard(call, card(CARDS.visa));
    expect(stripe.ok("POST", CONFIRM)[0]?.body).toMatchObject({
      status: "succeeded",
      amount_received: 2500,
      transfer_data: { destination: merchant.stripe_account_id },
      on_behalf_of: merchant.stripe_account_id,
      application_fee_amount: 62, // 2.5% of 25.00, rounded down
    });
    expect((await ledgerOf(merchant.stripe_account_id)).balance).toBe(2500 - 62);

    await call.speakEnded();
    await call.agentDialled(repLeg(call), rep.id);
    call.advance(20_000);
    await call.hangup(repLeg(call), agentRole(rep.id), "no_answer");
    await call.hangup(call.callerLeg, "caller");

    const refunds = stripe.ok("POST", REFUNDS);
    expect(refunds).toHaveLength(1);
    expect(refunds[0]?.body).toMatchObject({ amount: 2500 });
    expect(refunds[0]?.body?.transfer_reversal).toMatch(/^trr_/);
    // The transfer is reversed and the fee given back: the merchant is left with nothing, owes nothing.
    const ledger = await ledgerOf(merchant.stripe_account_id);
    expect(entries(ledger)).toEqual([
      ["payment", 2500],
      ["application_fee", -62],
      ["transfer_refund", -2500],
      ["application_fee_refund", 62],
    ]);
    expect(ledger.balance).toBe(0);
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "no_agent", amount: 0 });
  });

  it("a platform line (no merchant) charges as before: no destination, no fee", async () => {
    const line = await adviceLine({ ...PER_MINUTE, platformFeeBasisPoints: 1000 });
    await perMinuteCall(line, "+15557775004");
    expect(stripe.ok("POST", INTENTS)[0]?.body).toMatchObject({
      transfer_data: null,
      on_behalf_of: null,
      application_fee_amount: null,
    });
    expect(stripe.ok("POST", CAPTURE)[0]?.body).toMatchObject({
      amount_received: 450,
      application_fee_amount: null,
    });
  });

  it.each([
    ["has not finished onboarding", false],
    ["lost charges_enabled after onboarding", true],
  ])(
    "a merchant that %s: the caller hears 'not in service' and nothing is charged",
    async (_name, onboarded) => {
      const merchant = onboarded ? await createChargeableMerchant() : await createMerchant();
      const line = await merchantLine(PER_MINUTE, merchant);
      if (onboarded) await setStripeFlags(merchant.stripe_account_id, { charges_enabled: false });
      const call = new TestCall(onboarded ? "+15557775006" : "+15557775005", line.number);
      await call.start();
      await call.answered();
      expect(telnyx.ofAction("speak").map((c) => c.body.payload)).toEqual([
        "The number you have called is not in service. Goodbye.",
      ]);
      await call.speakEnded();
      expect(telnyx.ofAction("hangup").map((c) => c.leg)).toEqual([call.callerLeg]);
      await call.hangup(call.callerLeg, "caller");
      // No card is asked for, no payment request of any kind, nothing on the merchant's account.
      expect(telnyx.ofAction("gather_using_speak")).toHaveLength(0);
      expect(stripe.exchanges.filter((e) => /^\/v1\/(payment_|refunds)/.test(e.path))).toEqual([]);
      expect((await ledgerOf(merchant.stripe_account_id)).entries).toEqual([]);
      expect(await callRecord(call.sessionId)).toBeNull();
    },
  );
});
