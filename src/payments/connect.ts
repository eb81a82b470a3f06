/**
 * Merchants' Stripe Connect accounts, in our words: create an Express account that is paid out
 * daily, hand out Stripe's hosted onboarding link, read the account's three flags. Only the admin
 * API uses this; money on a merchant's line goes through Payments with a `payee`.
 */
import type Stripe from "stripe";
import { createStripeClient, type StripePaymentsOptions } from "./stripe-payments";
import { toPaymentsError } from "./stripe-errors";

export interface ConnectAccount {
  accountId: string;
  detailsSubmitted: boolean;
  chargesEnabled: boolean;
  payoutsEnabled: boolean;
}

export interface NewMerchantAccount {
  name: string;
  email?: string;
  /** ISO 3166-1 alpha-2, e.g. US. */
  country: string;
  idempotencyKey: string;
}

export interface OnboardingLink {
  url: string;
  /** Epoch ms; Stripe's links are single-use and short-lived. */
  expiresAt: number;
}

export interface Connect {
  createAccount(input: NewMerchantAccount): Promise<ConnectAccount>;
  createOnboardingLink(
    accountId: string,
    urls: { refreshUrl: string; returnUrl: string },
  ): Promise<OnboardingLink>;
}

export const accountFlagsOf = (account: {
  id: string;
  details_submitted?: boolean | null;
  charges_enabled?: boolean | null;
  payouts_enabled?: boolean | null;
}): ConnectAccount => ({
  accountId: account.id,
  detailsSubmitted: account.details_submitted === true,
  chargesEnabled: account.charges_enabled === true,
  payoutsEnabled: account.payouts_enabled === true,
});

export function createStripeConnect(opts: StripePaymentsOptions): Connect {
  const stripe: Stripe = createStripeClient(opts);
  return {
    async createAccount(input) {
      try {
        const account = await stripe.accounts.create(
          {
            type: "express",
            country: input.country,
            ...(input.email ? { email: input.email } : {}),
            business_profile: { name: input.name },
            // on_behalf_of needs card_payments on the connected account; destination charges need transfers.
            capabilities: { card_payments: { requested: true }, transfers: { requested: true } },
            // "Daily deposits": the platform sets the payout schedule on the connected account.
            settings: { payouts: { schedule: { interval: "daily" } } },
            metadata: { meterline: "merchant" },
          },
          { idempotencyKey: input.idempotencyKey },
        );
        return accountFlagsOf(account);
      } catch (err) {
        throw toPaymentsError("account create", err);
      }
    },

    async createOnboardingLink(accountId, urls) {
      try {
        const link = await stripe.accountLinks.create({
          account: accountId,
          type: "account_onboarding",
          refresh_url: urls.refreshUrl,
          return_url: urls.returnUrl,
        });
        return { url: link.url, expiresAt: link.expires_at * 1000 };
      } catch (err) {
        throw toPaymentsError("account link", err);
      }
    },
  };
}
