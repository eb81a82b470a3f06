/**
 * PaymentIntent endpoints: create (optionally confirming), retrieve, confirm, capture, cancel.
 * The state rules and error codes follow Stripe's, so the adapter meets the same surprises
 * (payment_intent_unexpected_state on a second capture, a spent PaymentMethod, ...).
 */
import type { FormObject } from "./form";
import { confirm, requireStatus } from "./confirmation";
import { readDestination, settleCapturedCharge } from "./connect";
import {
  badParam,
  invalidRequest,
  newId,
  notFound,
  type PaymentIntentObject,
  type Reply,
  type StandinStore,
} from "./objects";
import * as p from "./params";

const createParams = [
  "amount",
  "currency",
  "payment_method",
  "confirm",
  "capture_method",
  "allowed_payment_method_types",
  "payment_method_types",
  "payment_method_options",
  "description",
  "metadata",
  "transfer_data",
  "on_behalf_of",
  "application_fee_amount",
] as const;

export function createPaymentIntent(store: StandinStore, form: FormObject): Reply {
  p.rejectUnknownParams(form, createParams);
  const amount = p.readInteger(form, "amount", true) ?? 0;
  if (amount < 1)
    return badParam("This value must be greater than or equal to 1.", "amount", "amount_too_small");
  if (amount > 99_999_999)
    return badParam("Amount must be no more than 99999999", "amount", "amount_too_large");
  const currency = p.readString(form, "currency", true).toLowerCase();
  if (!/^[a-z]{3}$/.test(currency)) return badParam(`Invalid currency: ${currency}`, "currency");
  const captureMethod = p.readString(form, "capture_method") ?? "automatic_async";
  if (captureMethod !== "automatic" && captureMethod !== "automatic_async" && captureMethod !== "manual") {
    return badParam(`Invalid capture_method: ${captureMethod}`, "capture_method");
  }
  const types = p.readStringList(form, "allowed_payment_method_types") ??
    p.readStringList(form, "payment_method_types") ?? ["card"];
  const cardOptions = p.readObject(p.readObject(form, "payment_method_options") ?? {}, "card") ?? {};
  const connect = readDestination(store, form, amount);
  if ("status" in connect) return connect;
  const paymentMethod = p.readString(form, "payment_method") ?? null;
  if (paymentMethod && !store.paymentMethods.has(paymentMethod))
    return notFound("PaymentMethod", paymentMethod, "payment_method");
  const id = newId("pi");
  const intent: PaymentIntentObject = {
    id,
    object: "payment_intent",
    amount,
    amount_capturable: 0,
    amount_received: 0,
    application_fee_amount: connect.application_fee_amount,
    allowed_payment_method_types: types,
    payment_method_types: types,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: captureMethod,
    client_secret: `${id}_secret_${newId("s").slice(2)}`,
    confirmation_method: "automatic",
    created: store.now(),
    currency,
    description: p.readString(form, "description") ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata: p.readMetadata(form),
    next_action: null,
    on_behalf_of: connect.on_behalf_of,
    payment_method: paymentMethod,
    payment_method_options: {
      card: { moto: p.readBoolean(cardOptions, "moto"), request_three_d_secure: "automatic" },
    },
    status: paymentMethod ? "requires_confirmation" : "requires_payment_method",
    transfer_data: connect.transfer_data,
  };
  if (p.readBoolean(form, "confirm") && !paymentMethod) {
    return badParam(
      "You cannot confirm this PaymentIntent because it's missing a payment method.",
      "payment_method",
      "parameter_missing",
    );
  }
  store.paymentIntents.set(id, intent);
  store.emit("payment_intent.created", intent);
  return p.readBoolean(form, "confirm") ? confirm(store, intent) : { status: 200, body: intent };
}

export function retrievePaymentIntent(store: StandinStore, id: string): Reply {
  const intent = store.paymentIntents.get(id);
  return intent ? { status: 200, body: intent } : notFound("payment_intent", id, "intent");
}

export function confirmPaymentIntent(store: StandinStore, id: string, form: FormObject): Reply {
  p.rejectUnknownParams(form, ["payment_method", "payment_method_options"]);
  const intent = store.paymentIntents.get(id);
  if (!intent) return notFound("payment_intent", id, "intent");
  const cardOptions = p.readObject(p.readObject(form, "payment_method_options") ?? {}, "card") ?? {};
  const moto = p.readBoolean(cardOptions, "moto");
  if (moto !== undefined) intent.payment_method_options.card.moto = moto;
  const denied = requireStatus(intent, "confirm", [
    "requires_payment_method",
    "requires_confirmation",
    "requires_action",
  ]);
  if (denied) return denied;
  const paymentMethod = p.readString(form, "payment_method") ?? intent.payment_method;
  if (!paymentMethod)
    return badParam(
      "You cannot confirm this PaymentIntent because it's missing a payment method.",
      "payment_method",
      "parameter_missing",
    );
  if (!store.paymentMethods.has(paymentMethod))
    return notFound("PaymentMethod", paymentMethod, "payment_method");
  intent.payment_method = paymentMethod;
  return confirm(store, intent);
}

export function capturePaymentIntent(store: StandinStore, id: string, form: FormObject): Reply {
  p.rejectUnknownParams(form, ["amount_to_capture", "metadata", "application_fee_amount"]);
  const intent = store.paymentIntents.get(id);
  if (!intent) return notFound("payment_intent", id, "intent");
  const denied = requireStatus(intent, "capture", ["requires_capture"]);
  if (denied) return denied;
  const amount = p.readInteger(form, "amount_to_capture") ?? intent.amount_capturable;
  if (amount < 1)
    return badParam("amount_to_capture must be greater than 0.", "amount_to_capture", "amount_too_small");
  if (amount > intent.amount_capturable) {
    return invalidRequest(
      `The amount to capture (${amount}) must be less than or equal to the amount capturable (${intent.amount_capturable}).`,
      "amount_too_large",
      "amount_to_capture",
    );
  }
  const fee = p.readInteger(form, "application_fee_amount");
  if (fee !== undefined && !intent.transfer_data && !intent.on_behalf_of)
    return invalidRequest(
      "Can only apply an application_fee_amount when the PaymentIntent is attempting a direct payment or destination payment.",
      undefined,
      "application_fee_amount",
    );
  if (fee !== undefined) intent.application_fee_amount = fee;
  intent.status = "succeeded";
  intent.amount_received = amount;
  intent.amount_capturable = 0;
  const charge = store.charges.get(intent.latest_charge ?? "");
  if (charge) {
    Object.assign(charge, { captured: true, amount_captured: amount });
    settleCapturedCharge(store, intent, charge, amount);
  }
  store.emit("payment_intent.succeeded", intent);
  return { status: 200, body: intent };
}

export function cancelPaymentIntent(store: StandinStore, id: string, form: FormObject): Reply {
  p.rejectUnknownParams(form, ["cancellation_reason"]);
  const intent = store.paymentIntents.get(id);
  if (!intent) return notFound("payment_intent", id, "intent");
  const denied = requireStatus(intent, "cancel", [
    "requires_payment_method",
    "requires_capture",
    "requires_confirmation",
    "requires_action",
    "processing",
  ]);
  if (denied) return denied;
  intent.status = "canceled";
  intent.amount_capturable = 0;
  intent.canceled_at = store.now();
  intent.cancellation_reason = p.readString(form, "cancellation_reason") ?? null;
  store.emit("payment_intent.canceled", intent);
  return { status: 200, body: intent };
}
