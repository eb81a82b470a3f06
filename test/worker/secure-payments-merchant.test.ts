/**
 * Secure payments on a merchant's line are destination charges, like the line's own calls: the
 * agent's request charges the caller's card to the merchant's connected account (the Stripe
 * stand-in's ledger per account shows where the money went), with no platform fee by default;
 * on a line without a merchant the charge stays the platform's.
 */
import { describe, expect, it } from "vitest";
import { api, json } from "./api-helpers";
import { createChargeableMerchant, ledgerOf } from "./support/merchants";
import { agentCall, backToAgent, keyCard, recorded, toCard } from "./support/secure-payment-call";
import { useWireFakes } from "./support/wire-fakes";

const { stripe } = useWireFakes();
const intentsCreated = () =>
  stripe.exchanges.filter((e) => e.method === "POST" && e.path === "/v1/payment_intents");

describe("secure payments on a merchant's line", () => {
  it("charge the card to the merchant's account (100% payout), seen by the merchant's token", async () => {
    const merchant = await createChargeableMerchant("Secure Sam LLC");
    const c = await agentCall("+15557200001", {}, [{ name: "Sam" }], merchant.id);
    const id = await toCard(c);
    await keyCard(c);
    expect(await recorded(c, id)).toMatchObject({ status: "succeeded", amount: 1250 });
    await backToAgent(c);

    const [intent] = intentsCreated();
    // Stripe's answer (the stand-in's PaymentIntent): a destination charge, no application fee.
    expect(intent?.body).toMatchObject({
      transfer_data: { destination: merchant.stripe_account_id },
      on_behalf_of: merchant.stripe_account_id,
      application_fee_amount: null,
    });
    const ledger = await ledgerOf(merchant.stripe_account_id);
    expect(ledger.entries.map((e) => [e.type, e.amount])).toEqual([["payment", 1250]]);
    expect(ledger.balance).toBe(1250);

    const token = await json<{ token: string }>(
      await api("/api/v1/tokens", {
        method: "POST",
        body: { name: "sam", scopes: ["merchant"], merchant_id: merchant.id },
      }),
      201,
    );
    const list = await json<{ data: { id: string }[] }>(
      await api("/api/v1/secure-payments", { token: token.token }),
      200,
    );
    expect(list.data.map((p) => p.id)).toEqual([id]);
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("stay the platform's own charge on a line without a merchant", async () => {
    const c = await agentCall("+15557200002");
    const id = await toCard(c);
    await keyCard(c);
    expect(await recorded(c, id)).toMatchObject({ status: "succeeded" });
    await backToAgent(c);
    const [intent] = intentsCreated();
    expect(intent?.body).toMatchObject({ transfer_data: null, on_behalf_of: null });
    await c.call.hangup(c.call.callerLeg, "caller");
  });
});
