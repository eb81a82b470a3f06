// Merchants through the admin API and Stripe's account.updated: an Express account per merchant
// (paid out daily) at the Stripe stand-in, the onboarding link, flags kept current by signed
// webhooks (a stale event never rolls them back), and lines refused for a merchant not yet chargeable.
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import {
  adviceConfig,
  api,
  createLine,
  expectProblem,
  json,
  uniqueNumber,
  type LineJson,
} from "./api-helpers";
import {
  accountUpdatedEvent,
  CONNECT_WEBHOOK_SECRET,
  createChargeableMerchant,
  createMerchant,
  postStripeEvent,
  setStripeFlags,
  type MerchantJson,
} from "./support/merchants";

const getMerchant = async (id: string) => json<MerchantJson>(await api(`/api/v1/merchants/${id}`), 200);

async function standinAccount(id: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${inject("stripeUrl")}/v1/accounts/${id}`, {
    headers: { authorization: "Bearer sk_test_meterline" },
  });
  return json(res, 200);
}

describe("merchants", () => {
  it("creates a merchant with an Express account paid out daily, not yet able to take charges", async () => {
    const merchant = await createMerchant("Madame Zora");
    expect(merchant).toMatchObject({
      name: "Madame Zora",
      details_submitted: false,
      charges_enabled: false,
      payouts_enabled: false,
    });
    expect(merchant.id).toMatch(/^mer_[0-9A-Za-z]{20}$/);
    const account = await standinAccount(merchant.stripe_account_id);
    expect(account).toMatchObject({
      type: "express",
      business_profile: { name: "Madame Zora" },
      settings: { payouts: { schedule: { interval: "daily" } } },
      capabilities: { card_payments: "inactive", transfers: "inactive" },
    });
    expect(await getMerchant(merchant.id)).toEqual(merchant);
    const page = await json<{ data: MerchantJson[] }>(await api("/api/v1/merchants?limit=100"), 200);
    expect(page.data.map((m) => m.id)).toContain(merchant.id);
  });

  it("answers a retried create with the same Idempotency-Key with the same merchant", async () => {
    const key = crypto.randomUUID();
    const send = () =>
      api("/api/v1/merchants", {
        method: "POST",
        body: { name: "Retry Ltd" },
        headers: { "idempotency-key": key },
      });
    const first = await json<MerchantJson>(await send(), 201);
    const again = await json<MerchantJson>(await send(), 200);
    expect(again.id).toBe(first.id);
    expect(again.stripe_account_id).toBe(first.stripe_account_id);
  });

  it("returns Stripe's onboarding link for the merchant's account", async () => {
    const merchant = await createMerchant();
    const res = await api(`/api/v1/merchants/${merchant.id}/account-links`, {
      method: "POST",
      body: { refresh_url: "https://admin.example/reauth", return_url: "https://admin.example/done" },
    });
    const link = await json<{ url: string; expires_at: string }>(res, 200);
    expect(link.url).toContain(merchant.stripe_account_id);
    expect(Date.parse(link.expires_at)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("refuses a bad create or link request and an unknown merchant with problem JSON", async () => {
    const bad = await expectProblem(
      await api("/api/v1/merchants", { method: "POST", body: { name: "" } }),
      422,
    );
    expect(bad.errors?.map((e) => e.field)).toContain("name");
    await expectProblem(await api("/api/v1/merchants/mer_nope"), 404);
    const merchant = await createMerchant();
    const link = await api(`/api/v1/merchants/${merchant.id}/account-links`, {
      method: "POST",
      body: { refresh_url: "not a url", return_url: "https://admin.example/done" },
    });
    expect((await expectProblem(link, 422)).errors?.map((e) => e.field)).toEqual(["refresh_url"]);
  });

  it("keeps the flags current from account.updated, and a stale event does not roll them back", async () => {
    const merchant = await createMerchant();
    const account = merchant.stripe_account_id;
    const older = await accountUpdatedEvent(account, { details_submitted: true });
    const newer = await accountUpdatedEvent(account, {
      details_submitted: true,
      charges_enabled: true,
      payouts_enabled: true,
    });
    // Stripe's `created` is whole seconds: make the order unambiguous, then deliver newest first.
    older.created = (newer.created as number) - 5;
    await json(await postStripeEvent(newer), 200);
    expect(await getMerchant(merchant.id)).toMatchObject({
      details_submitted: true,
      charges_enabled: true,
      payouts_enabled: true,
    });
    await json(await postStripeEvent(older), 200);
    expect(await getMerchant(merchant.id)).toMatchObject({ charges_enabled: true, payouts_enabled: true });

    // A later change (charges disabled by Stripe) does apply.
    await setStripeFlags(account, { charges_enabled: false });
    expect(await getMerchant(merchant.id)).toMatchObject({ charges_enabled: false, payouts_enabled: true });
  });

  it("accepts account.updated signed by the Connect endpoint's own secret, and no other", async () => {
    const merchant = await createMerchant();
    const event = await accountUpdatedEvent(merchant.stripe_account_id, { details_submitted: true });
    await expectProblem(await postStripeEvent(event, "whsec_someone_else"), 401);
    expect(await getMerchant(merchant.id)).toMatchObject({ details_submitted: false });
    await json(await postStripeEvent(event, CONNECT_WEBHOOK_SECRET), 200);
    expect(await getMerchant(merchant.id)).toMatchObject({ details_submitted: true });
  });

  it("ignores account.updated for an account that is no merchant of ours", async () => {
    const res = await postStripeEvent({
      id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
      object: "event",
      api_version: "2026-10-28.endive",
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: "acct_stranger", object: "account", charges_enabled: true } },
      livemode: false,
      pending_webhooks: 1,
      request: { id: null, idempotency_key: null },
      type: "account.updated",
    });
    expect(await json(res, 200)).toEqual({ received: true });
  });
});

describe("lines of merchants", () => {
  it("refuses a line for a merchant whose account cannot take charges yet", async () => {
    const merchant = await createMerchant();
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: {
        number: uniqueNumber(),
        name: "Zora",
        product: "advice",
        config: adviceConfig,
        merchant_id: merchant.id,
      },
    });
    const problem = await expectProblem(res, 409);
    expect(problem.type).toBe("urn:meterline:problem:merchant-charges-disabled");
    const line = await createLine({ product: "advice", config: adviceConfig });
    const patch = await api(`/api/v1/lines/${line.id}`, {
      method: "PATCH",
      body: { merchant_id: merchant.id },
    });
    await expectProblem(patch, 409);
    const unknown = await api(`/api/v1/lines/${line.id}`, {
      method: "PATCH",
      body: { merchant_id: "mer_nope" },
    });
    expect((await expectProblem(unknown, 422)).errors?.map((e) => e.field)).toEqual(["merchant_id"]);
  });

  it("gives a line to a chargeable merchant, and back to the platform with null", async () => {
    const merchant = await createChargeableMerchant();
    const line = await createLine({ product: "advice", config: adviceConfig, merchant_id: merchant.id });
    expect(line).toMatchObject({ merchant_id: merchant.id });
    const moved = await json<LineJson & { merchant_id: string | null }>(
      await api(`/api/v1/lines/${line.id}`, { method: "PATCH", body: { merchant_id: null } }),
      200,
    );
    expect(moved.merchant_id).toBeNull();
    const plain = await createLine();
    expect(plain).toMatchObject({ merchant_id: null });
  });
});
