/**
 * Charges (one per confirmation attempt, as Stripe makes them) and POST /v1/refunds.
 * Refunds follow Stripe: only a succeeded intent's charge, never beyond what was captured,
 * `charge_already_refunded` once nothing is left.
 */
import type { FormObject } from "./form";
import {
  badParam,
  invalidRequest,
  newId,
  notFound,
  type ChargeObject,
  type PaymentIntentObject,
  type RefundObject,
  type Reply,
  type StandinStore,
} from "./objects";
import { settleRefund } from "./connect";
import * as p from "./params";
import type { CardOutcome } from "./test-cards";

export function chargeFor(
  store: StandinStore,
  intent: PaymentIntentObject,
  outcome: CardOutcome,
): ChargeObject {
  const pm = store.paymentMethods.get(intent.payment_method ?? "");
  const automatic = intent.capture_method !== "manual";
  const failure = outcome.approved ? null : outcome.failure;
  const charge: ChargeObject = {
    id: newId("ch"),
    object: "charge",
    amount: intent.amount,
    amount_captured: outcome.approved && automatic ? intent.amount : 0,
    amount_refunded: 0,
    application_fee: null,
    application_fee_amount: null,
    captured: outcome.approved && automatic,
    created: store.now(),
    currency: intent.currency,
    failure_code: failure?.code ?? null,
    failure_message: failure?.message ?? null,
    livemode: false,
    outcome: failure
      ? {
          network_status: "declined_by_network",
          reason: failure.declineCode ?? failure.code,
          seller_message: "The bank did not return any further details with this decline.",
          type: "issuer_declined",
        }
      : {
          network_status: "approved_by_network",
          reason: null,
          seller_message: "Payment complete.",
          type: "authorized",
        },
    paid: outcome.approved,
    payment_intent: intent.id,
    payment_method: intent.payment_method ?? "",
    payment_method_details: {
      type: "card",
      card: {
        brand: pm?.card.brand ?? "unknown",
        last4: pm?.card.last4 ?? "",
        exp_month: pm?.card.exp_month ?? 0,
        exp_year: pm?.card.exp_year ?? 0,
        moto: intent.payment_method_options.card.moto ?? null,
      },
    },
    refunded: false,
    status: outcome.approved ? "succeeded" : "failed",
    transfer: null,
  };
  store.charges.set(charge.id, charge);
  return charge;
}

export function createRefund(store: StandinStore, form: FormObject): Reply {
  p.rejectUnknownParams(form, [
    "payment_intent",
    "charge",
    "amount",
    "reason",
    "metadata",
    "reverse_transfer",
    "refund_application_fee",
  ]);
  const intentId = p.readString(form, "payment_intent");
  const chargeId = p.readString(form, "charge");
  if (!intentId && !chargeId)
    return badParam(
      "One of the following params should be provided for this request: payment_intent or charge.",
      "payment_intent",
      "parameter_missing",
    );
  const intent = intentId ? store.paymentIntents.get(intentId) : undefined;
  if (intentId && !intent) return notFound("payment_intent", intentId, "payment_intent");
  const charge = store.charges.get(chargeId ?? intent?.latest_charge ?? "");
  if (chargeId && !charge) return notFound("charge", chargeId, "charge");
  if (!charge?.captured) {
    return invalidRequest(
      `This ${intentId ? "PaymentIntent" : "charge"} does not have a successful charge to refund.`,
    );
  }
  const remaining = charge.amount_captured - charge.amount_refunded;
  if (remaining === 0)
    return invalidRequest(`Charge ${charge.id} has already been refunded.`, "charge_already_refunded");
  const amount = p.readInteger(form, "amount") ?? remaining;
  if (amount < 1 || amount > remaining) {
    return invalidRequest(
      `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`,
      "amount_too_large",
      "amount",
    );
  }
  const reverseTransfer = p.readBoolean(form, "reverse_transfer") ?? false;
  const refundApplicationFee = p.readBoolean(form, "refund_application_fee") ?? false;
  if ((reverseTransfer || refundApplicationFee) && !charge.transfer)
    return invalidRequest(
      "reverse_transfer and refund_application_fee can only be used on a charge with a transfer (a destination charge).",
      undefined,
      reverseTransfer ? "reverse_transfer" : "refund_application_fee",
    );
  const refundId = newId("re");
  const reversal = settleRefund(store, charge, amount, refundId, { reverseTransfer, refundApplicationFee });
  const refund: RefundObject = {
    id: refundId,
    object: "refund",
    amount,
    charge: charge.id,
    created: store.now(),
    currency: charge.currency,
    payment_intent: charge.payment_intent,
    reason: p.readString(form, "reason") ?? null,
    status: "succeeded",
    transfer_reversal: reversal,
  };
  store.refunds.set(refund.id, refund);
  charge.amount_refunded += amount;
  charge.refunded = charge.amount_refunded === charge.amount_captured;
  store.emit("charge.refunded", charge);
  return { status: 200, body: refund };
}
