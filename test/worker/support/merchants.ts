/**
 * Merchants for the workerd tests: created through the admin API (which creates the Express
 * account at the Stripe stand-in), onboarded by asking the stand-in to change the account and
 * delivering its `account.updated` to the real webhook route with a real Stripe signature, and
 * the stand-in's per-account ledger, to see where the money went.
 */
import { exports } from "cloudflare:workers";
import { inject } from "vitest";
import { api, json } from "../api-helpers";

const WEBHOOK_SECRET = "whsec_test_meterline";
const stripeUrl = () => inject("stripeUrl");

export interface MerchantJson {
  id: string;
  name: string;
  stripe_account_id: string;
  details_submitted: boolean;
  charges_enabled: boolean;
  payouts_enabled: boolean;
}

export interface StripeFlags {
  charges_enabled?: boolean;
  payouts_enabled?: boolean;
  details_submitted?: boolean;
}

export interface LedgerJson {
  account: string;
  entries: { type: string; amount: number; currency: string; source: string }[];
  balance: number;
}

/** The Connect endpoint's secret, pinned in vitest.config.ts. */
export const CONNECT_WEBHOOK_SECRET = "whsec_test_meterline_connect";

export async function signStripe(
  body: string,
  secret = WEBHOOK_SECRET,
  t = Math.floor(Date.now() / 1000),
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`));
  const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `t=${t},v1=${hex}`;
}

export async function postStripeEvent(event: unknown, secret = WEBHOOK_SECRET): Promise<Response> {
  const body = JSON.stringify(event);
  return exports.default.fetch("http://meterline.test/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", "stripe-signature": await signStripe(body, secret) },
    body,
  });
}

export async function createMerchant(name = "Madame Zora"): Promise<MerchantJson> {
  return json<MerchantJson>(await api("/api/v1/merchants", { method: "POST", body: { name } }), 201);
}

/** The account.updated the stand-in emits for the change, unsent. */
export async function accountUpdatedEvent(
  accountId: string,
  flags: StripeFlags,
): Promise<Record<string, unknown>> {
  const res = await fetch(`${stripeUrl()}/_standin/accounts/${accountId}/flags`, {
    method: "POST",
    body: JSON.stringify(flags),
  });
  const body = await json<{ event: Record<string, unknown> }>(res, 200);
  return body.event;
}

/** Changes the account at Stripe and delivers Stripe's account.updated to the Worker. */
export async function setStripeFlags(accountId: string, flags: StripeFlags): Promise<void> {
  await json(await postStripeEvent(await accountUpdatedEvent(accountId, flags)), 200);
}

/** A merchant whose onboarding is finished: charges and payouts enabled. */
export async function createChargeableMerchant(name?: string): Promise<MerchantJson> {
  const merchant = await createMerchant(name);
  const flags = { details_submitted: true, charges_enabled: true, payouts_enabled: true };
  await setStripeFlags(merchant.stripe_account_id, flags);
  return { ...merchant, ...flags };
}

export async function ledgerOf(account: string): Promise<LedgerJson> {
  return json<LedgerJson>(await fetch(`${stripeUrl()}/_standin/ledger/${account}`), 200);
}
