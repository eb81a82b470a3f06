/**
 * The stand-in's state and Stripe's JSON shapes for what it serves (the fields Stripe documents
 * that a client is likely to read), plus Stripe-shaped error replies.
 * Stored objects are exactly what is sent; card data never gets into any of them.
 */
import { randomBytes } from "node:crypto";
import type { AccountObject, LedgerEntry } from "./connect";
import type { CardOutcome } from "./test-cards";

export interface PaymentMethodObject {
  id: string;
  object: "payment_method";
  type: "card";
  billing_details: {
    address: {
      city: null;
      country: null;
      line1: string | null;
      line2: null;
      postal_code: string | null;
      state: null;
    };
    email: null;
    name: null;
    phone: null;
  };
  card: {
    brand: string;
    display_brand: string;
    checks: {
      address_line1_check: string | null;
      address_postal_code_check: string | null;
      cvc_check: string | null;
    };
    country: string;
    exp_month: number;
    exp_year: number;
    fingerprint: string;
    funding: "credit";
    last4: string;
  };
  created: number;
  customer: null;
  livemode: false;
  metadata: Record<string, string>;
}

export type PaymentIntentStatus =
  | "requires_payment_method"
  | "requires_confirmation"
  | "requires_action"
  | "processing"
  | "requires_capture"
  | "succeeded"
  | "canceled";

export interface PaymentIntentObject {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_capturable: number;
  amount_received: number;
  application_fee_amount: number | null;
  allowed_payment_method_types: string[];
  payment_method_types: string[];
  canceled_at: number | null;
  cancellation_reason: string | null;
  capture_method: "automatic" | "automatic_async" | "manual";
  client_secret: string;
  confirmation_method: "automatic";
  created: number;
  currency: string;
  description: string | null;
  last_payment_error: StripeErrorBody | null;
  latest_charge: string | null;
  livemode: false;
  metadata: Record<string, string>;
  next_action: null;
  on_behalf_of: string | null;
  payment_method: string | null;
  payment_method_options: { card: { moto?: boolean; request_three_d_secure: "automatic" } };
  status: PaymentIntentStatus;
  transfer_data: { destination: string } | null;
}

export interface ChargeObject {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  application_fee: string | null;
  application_fee_amount: number | null;
  captured: boolean;
  created: number;
  currency: string;
  failure_code: string | null;
  failure_message: string | null;
  livemode: false;
  outcome: { network_status: string; reason: string | null; seller_message: string; type: string };
  paid: boolean;
  payment_intent: string;
  payment_method: string;
  payment_method_details: {
    type: "card";
    card: { brand: string; last4: string; exp_month: number; exp_year: number; moto: boolean | null };
  };
  refunded: boolean;
  status: "succeeded" | "failed";
  transfer: string | null;
}

export interface RefundObject {
  id: string;
  object: "refund";
  amount: number;
  charge: string;
  created: number;
  currency: string;
  payment_intent: string;
  reason: string | null;
  status: "succeeded";
  transfer_reversal: string | null;
}

export interface StripeErrorBody {
  type: "card_error" | "invalid_request_error" | "api_error" | "idempotency_error";
  message: string;
  code?: string;
  decline_code?: string;
  param?: string;
  doc_url?: string;
  charge?: string;
  payment_intent?: PaymentIntentObject;
  payment_method?: PaymentMethodObject;
}

/** What a handler answers. `replayable: false` = Stripe saves no idempotent result (bad params). */
export interface Reply {
  status: number;
  body: unknown;
  replayable?: boolean;
}

export interface StandinStore {
  paymentMethods: Map<string, PaymentMethodObject>;
  /** The issuer's answer per PaymentMethod, decided at creation so the PAN need not be kept. */
  cardOutcomes: Map<string, CardOutcome>;
  usedPaymentMethods: Set<string>;
  paymentIntents: Map<string, PaymentIntentObject>;
  charges: Map<string, ChargeObject>;
  refunds: Map<string, RefundObject>;
  accounts: Map<string, AccountObject>;
  /** Balance entries per connected account id, and the platform's under "platform". */
  ledger: Map<string, LedgerEntry[]>;
  /** Unix seconds. */
  now(): number;
  emit(type: string, object: object): void;
}

const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

export function newId(prefix: string, length = 24): string {
  const bytes = randomBytes(length);
  let id = "";
  for (const b of bytes) id += alphabet[b % alphabet.length];
  return `${prefix}_${id}`;
}

export function errorReply(status: number, error: StripeErrorBody, replayable = true): Reply {
  const docUrl = error.code
    ? { doc_url: `https://stripe.com/docs/error-codes/${error.code.replaceAll("_", "-")}` }
    : {};
  return { status, body: { error: { ...error, ...docUrl } }, replayable };
}

export function invalidRequest(message: string, code?: string, param?: string, status = 400): Reply {
  return errorReply(status, { type: "invalid_request_error", message, code, param });
}

/** A parameter Stripe refuses before doing anything: no idempotent result is saved. */
export function badParam(message: string, param: string, code = "parameter_invalid"): Reply {
  return errorReply(400, { type: "invalid_request_error", message, code, param }, false);
}

export function notFound(kind: string, id: string, param: string): Reply {
  return invalidRequest(`No such ${kind}: '${id}'`, "resource_missing", param, 404);
}

/** Deep copy, so an event or a reply keeps the object as it was at that moment. */
export function snapshot<T>(value: T): T {
  return structuredClone(value);
}
