/**
 * Connect in the stand-in: Express accounts (with their payout schedule), account links, and the
 * money of destination charges kept in a per-account ledger, the way Stripe's balance
 * transactions book it: the gross is transferred to the destination, the application fee comes
 * back to the platform, and a refund with reverse_transfer takes the money back from the account
 * (refund_application_fee gives the fee back to it). Amounts are integer minor units.
 */
import type { FormObject } from "./form";
import {
  badParam,
  invalidRequest,
  newId,
  notFound,
  type ChargeObject,
  type PaymentIntentObject,
  type Reply,
  type StandinStore,
} from "./objects";
import * as p from "./params";

export interface AccountObject {
  id: string;
  object: "account";
  type: "express";
  country: string;
  email: string | null;
  business_profile: { name: string | null };
  capabilities: Record<string, "active" | "inactive" | "pending">;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
  created: number;
  default_currency: string;
  metadata: Record<string, string>;
  settings: { payouts: { schedule: { interval: string; delay_days: number } } };
}

/** One line of an account's balance, as Stripe's balance transactions name their types. */
export interface LedgerEntry {
  type:
    | "payment"
    | "application_fee"
    | "transfer"
    | "payment_refund"
    | "transfer_refund"
    | "application_fee_refund";
  amount: number;
  currency: string;
  source: string;
}

/** The platform's own ledger key. */
export const PLATFORM = "platform";

export function book(store: StandinStore, account: string, entry: LedgerEntry): void {
  const entries = store.ledger.get(account) ?? [];
  entries.push(entry);
  store.ledger.set(account, entries);
}

export function createAccount(store: StandinStore, form: FormObject): Reply {
  p.rejectUnknownParams(form, [
    "type",
    "country",
    "email",
    "business_profile",
    "capabilities",
    "settings",
    "metadata",
  ]);
  const type = p.readString(form, "type") ?? "express";
  if (type !== "express") return badParam(`The stand-in only makes express accounts, not ${type}.`, "type");
  const country = p.readString(form, "country") ?? "US";
  const schedule =
    p.readObject(p.readObject(p.readObject(form, "settings") ?? {}, "payouts") ?? {}, "schedule") ?? {};
  const interval = p.readString(schedule, "interval") ?? "daily";
  if (!["daily", "weekly", "monthly", "manual"].includes(interval))
    return badParam(`Invalid interval: ${interval}`, "settings[payouts][schedule][interval]");
  const requested = Object.keys(p.readObject(form, "capabilities") ?? {});
  const account: AccountObject = {
    id: newId("acct", 16),
    object: "account",
    type: "express",
    country,
    email: p.readString(form, "email") ?? null,
    business_profile: { name: p.readString(p.readObject(form, "business_profile") ?? {}, "name") ?? null },
    capabilities: Object.fromEntries(requested.map((c) => [c, "inactive" as const])),
    charges_enabled: false,
    payouts_enabled: false,
    details_submitted: false,
    created: store.now(),
    default_currency: country === "US" ? "usd" : "eur",
    metadata: p.readMetadata(form),
    settings: { payouts: { schedule: { interval, delay_days: 2 } } },
  };
  store.accounts.set(account.id, account);
  return { status: 200, body: account };
}

/** An account that exists from the start (the local stack's demo merchants), onboarded as given. */
export interface PresetAccount {
  id: string;
  name: string;
  charges_enabled: boolean;
  payouts_enabled: boolean;
  details_submitted: boolean;
}

export function presetAccount(store: StandinStore, preset: PresetAccount): void {
  const state = preset.charges_enabled ? ("active" as const) : ("inactive" as const);
  store.accounts.set(preset.id, {
    id: preset.id,
    object: "account",
    type: "express",
    country: "US",
    email: null,
    business_profile: { name: preset.name },
    capabilities: { card_payments: state, transfers: state },
    charges_enabled: preset.charges_enabled,
    payouts_enabled: preset.payouts_enabled,
    details_submitted: preset.details_submitted,
    created: store.now(),
    default_currency: "usd",
    metadata: { meterline: "merchant" },
    settings: { payouts: { schedule: { interval: "daily", delay_days: 2 } } },
  });
}

export function retrieveAccount(store: StandinStore, id: string): Reply {
  const account = store.accounts.get(id);
  return account ? { status: 200, body: account } : notFound("account", id, "account");
}

export function createAccountLink(store: StandinStore, form: FormObject): Reply {
  p.rejectUnknownParams(form, [
    "account",
    "type",
    "refresh_url",
    "return_url",
    "collect",
    "collection_options",
  ]);
  const accountId = p.readString(form, "account", true);
  const type = p.readString(form, "type", true);
  if (type !== "account_onboarding" && type !== "account_update")
    return badParam(`Invalid type: ${type}`, "type");
  const refreshUrl = p.readString(form, "refresh_url");
  const returnUrl = p.readString(form, "return_url");
  if (!refreshUrl)
    return badParam("Missing required param: refresh_url.", "refresh_url", "parameter_missing");
  if (!returnUrl) return badParam("Missing required param: return_url.", "return_url", "parameter_missing");
  if (!store.accounts.has(accountId)) return notFound("account", accountId, "account");
  const created = store.now();
  return {
    status: 200,
    body: {
      object: "account_link",
      created,
      expires_at: created + 300,
      url: `https://connect.stripe.com/setup/e/${accountId}/${newId("s", 12).slice(2)}`,
    },
  };
}

/** The stand-in's way of finishing (or losing) onboarding: sets the flags and emits account.updated. */
export function updateAccountFlags(
  store: StandinStore,
  id: string,
  flags: Partial<Pick<AccountObject, "charges_enabled" | "payouts_enabled" | "details_submitted">>,
): AccountObject | null {
  const account = store.accounts.get(id);
  if (!account) return null;
  Object.assign(account, flags);
  for (const capability of Object.keys(account.capabilities))
    account.capabilities[capability] = account.charges_enabled ? "active" : "inactive";
  store.emit("account.updated", account);
  return account;
}

export interface DestinationParams {
  transfer_data: { destination: string } | null;
  on_behalf_of: string | null;
  application_fee_amount: number | null;
}

/** Reads and checks create's Connect params: a known, chargeable destination, a fee within the amount. */
export function readDestination(
  store: StandinStore,
  form: FormObject,
  amount: number,
): DestinationParams | Reply {
  const transfer = p.readObject(form, "transfer_data");
  const destination = transfer ? p.readString(transfer, "destination", true) : null;
  const onBehalfOf = p.readString(form, "on_behalf_of") ?? null;
  const fee = p.readInteger(form, "application_fee_amount") ?? null;
  if (fee !== null && !destination && !onBehalfOf)
    return invalidRequest(
      "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment (using an OAuth key or Stripe-Account header) or destination payment (using `transfer_data[destination]`).",
      undefined,
      "application_fee_amount",
    );
  if (fee !== null && fee > amount)
    return badParam("The application fee cannot exceed the amount.", "application_fee_amount");
  for (const [id, param] of [
    [destination, "transfer_data[destination]"],
    [onBehalfOf, "on_behalf_of"],
  ] as const) {
    if (!id) continue;
    const account = store.accounts.get(id);
    if (!account) return invalidRequest(`No such destination: '${id}'`, "resource_missing", param);
    if (!account.charges_enabled)
      return invalidRequest(
        "Your destination account needs to have at least one of the following capabilities enabled: transfers, legacy_payments",
        "insufficient_capabilities_for_transfer",
        param,
      );
  }
  return {
    transfer_data: destination ? { destination } : null,
    on_behalf_of: onBehalfOf,
    application_fee_amount: fee,
  };
}

/**
 * Money moves for a charge captured for `amount`: on a destination charge, a transfer of it to the
 * account and the application fee (capped at what was captured) back to the platform.
 */
export function settleCapturedCharge(
  store: StandinStore,
  intent: PaymentIntentObject,
  charge: ChargeObject,
  amount: number,
): void {
  const currency = intent.currency;
  const destination = intent.transfer_data?.destination;
  if (!destination) {
    book(store, PLATFORM, { type: "payment", amount, currency, source: charge.id });
    return;
  }
  const fee = Math.min(intent.application_fee_amount ?? 0, amount);
  const transferId = newId("tr");
  charge.transfer = transferId;
  charge.application_fee_amount = fee > 0 ? fee : null;
  charge.application_fee = fee > 0 ? newId("fee") : null;
  // The platform takes the payment and passes it on whole; the fee then comes back to it.
  book(store, PLATFORM, { type: "payment", amount, currency, source: charge.id });
  book(store, PLATFORM, { type: "transfer", amount: -amount, currency, source: transferId });
  book(store, destination, { type: "payment", amount, currency, source: transferId });
  if (fee > 0 && charge.application_fee) {
    book(store, destination, {
      type: "application_fee",
      amount: -fee,
      currency,
      source: charge.application_fee,
    });
    book(store, PLATFORM, { type: "application_fee", amount: fee, currency, source: charge.application_fee });
  }
}

/** A refund of `amount`: who pays it back depends on reverse_transfer (and refund_application_fee). */
export function settleRefund(
  store: StandinStore,
  charge: ChargeObject,
  amount: number,
  refundId: string,
  opts: { reverseTransfer: boolean; refundApplicationFee: boolean },
): string | null {
  const intent = store.paymentIntents.get(charge.payment_intent);
  const destination = intent?.transfer_data?.destination;
  const currency = charge.currency;
  book(store, PLATFORM, { type: "payment_refund", amount: -amount, currency, source: refundId });
  if (!destination || !opts.reverseTransfer) return null;
  const reversalId = newId("trr");
  // Stripe reverses the transfer in proportion to the part of the charge refunded.
  book(store, destination, { type: "transfer_refund", amount: -amount, currency, source: reversalId });
  book(store, PLATFORM, { type: "transfer_refund", amount, currency, source: reversalId });
  const fee = charge.application_fee_amount ?? 0;
  if (opts.refundApplicationFee && fee > 0) {
    const feeBack = Math.floor((fee * amount) / charge.amount_captured);
    book(store, destination, { type: "application_fee_refund", amount: feeBack, currency, source: refundId });
    book(store, PLATFORM, { type: "application_fee_refund", amount: -feeBack, currency, source: refundId });
  }
  return reversalId;
}

export function ledgerOf(store: StandinStore, account: string) {
  const entries = store.ledger.get(account) ?? [];
  return { account, entries, balance: entries.reduce((sum, e) => sum + e.amount, 0) };
}
