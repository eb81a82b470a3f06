/**
 * Confirming a PaymentIntent: the issuer's answer for its card (decided when the PaymentMethod was
 * made), a Charge per attempt, Stripe's 402 on a decline, and the one-use rule for a PaymentMethod
 * that has no Customer. Also the state guard every intent action shares.
 */
import { chargeFor } from "./charges";
import { settleCapturedCharge } from "./connect";
import {
  errorReply,
  invalidRequest,
  snapshot,
  type PaymentIntentObject,
  type PaymentIntentStatus,
  type Reply,
  type StandinStore,
} from "./objects";

export function confirm(store: StandinStore, intent: PaymentIntentObject): Reply {
  const pmId = intent.payment_method ?? "";
  if (store.usedPaymentMethods.has(pmId)) {
    return invalidRequest(
      "The provided PaymentMethod was previously used with a PaymentIntent without Customer attachment, shared with a connected account without Customer attachment, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.",
      "payment_method_unexpected_state",
      "payment_method",
    );
  }
  store.usedPaymentMethods.add(pmId);
  const outcome = store.cardOutcomes.get(pmId) ?? { approved: true };
  const charge = chargeFor(store, intent, outcome);
  intent.latest_charge = charge.id;
  if (!outcome.approved) {
    const { failure } = outcome;
    const paymentMethod = store.paymentMethods.get(pmId);
    intent.status = "requires_payment_method";
    intent.payment_method = null;
    intent.last_payment_error = {
      type: "card_error",
      code: failure.code,
      decline_code: failure.declineCode,
      message: failure.message,
      param: failure.param,
      charge: charge.id,
      payment_method: paymentMethod,
    };
    store.emit("payment_intent.payment_failed", intent);
    return errorReply(402, { ...intent.last_payment_error, payment_intent: snapshot(intent) });
  }
  if (intent.capture_method === "manual") {
    intent.status = "requires_capture";
    intent.amount_capturable = intent.amount;
    store.emit("payment_intent.amount_capturable_updated", intent);
  } else {
    intent.status = "succeeded";
    intent.amount_received = intent.amount;
    settleCapturedCharge(store, intent, charge, intent.amount);
    store.emit("payment_intent.succeeded", intent);
  }
  return { status: 200, body: intent };
}

const pastTense = { confirm: "confirmed", capture: "captured", cancel: "canceled" } as const;

export function requireStatus(
  intent: PaymentIntentObject,
  action: keyof typeof pastTense,
  allowed: PaymentIntentStatus[],
): Reply | null {
  if (allowed.includes(intent.status)) return null;
  return errorReply(400, {
    type: "invalid_request_error",
    code: "payment_intent_unexpected_state",
    message: `You cannot ${action} this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be ${pastTense[action]}: ${allowed.join(", ")}.`,
    payment_intent: snapshot(intent),
  });
}
