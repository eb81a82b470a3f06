/**
 * Stripe's answers to a secure payment's charge: the card is set up (confirm it), charged,
 * declined, or Stripe could not be reached. A confirmation whose outcome is unknown is released
 * (cancelled, or refunded if it went through) before the record says the caller was not charged.
 * A restarted call that lost the digits asks the caller for the card again, with a new key.
 */
import type { CardEvent } from "../card-payments/vocabulary";
import { startCard } from "./payment-capture";
import { conclude } from "./payment-finish";
import type { PaymentCtx, PaymentResult, SecurePaymentState } from "./payment-state";
import { texts } from "./texts";

type Card<T extends CardEvent["type"]> = Extract<CardEvent, { type: T }>;

export function prepared(state: SecurePaymentState, e: Card<"payment_prepared">): PaymentResult {
  return {
    state: { ...state, prepared: e.paymentId, cardBrand: e.brand, cardLast4: e.last4 },
    commands: [{ type: "confirm_payment", paymentId: e.paymentId, idempotencyKey: `${e.paymentId}:confirm` }],
  };
}

export function charged(
  state: SecurePaymentState,
  e: Card<"payment_charged">,
  ctx: PaymentCtx,
): PaymentResult {
  return conclude(state, ctx, { status: "succeeded", reason: null, paymentId: e.paymentId });
}

export function declined(
  state: SecurePaymentState,
  e: Card<"payment_declined">,
  ctx: PaymentCtx,
): PaymentResult {
  return conclude(state, ctx, {
    status: "failed",
    reason: "declined",
    declineCode: e.code ?? e.reason,
    paymentId: e.paymentId,
  });
}

export function unavailable(
  state: SecurePaymentState,
  e: Card<"payment_unavailable">,
  ctx: PaymentCtx,
): PaymentResult {
  if (!e.paymentId) return conclude(state, ctx, { status: "failed", reason: "processor_unavailable" });
  return {
    state: { ...state, phase: "releasing", prepared: e.paymentId },
    commands: [
      { type: "forget_card" },
      { type: "release_payment", paymentId: e.paymentId, idempotencyKey: `${e.paymentId}:release` },
    ],
  };
}

/** The release answered (done, nothing to do, or refused): nothing is left charged to the caller. */
export function released(state: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  return conclude(state, ctx, { status: "failed", reason: "processor_unavailable" });
}

export function cardLost(state: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  if (state.leftBy)
    return conclude(state, ctx, {
      status: "failed",
      reason: state.leftBy === "caller" ? "caller_hung_up" : "agent_hung_up",
    });
  return startCard({ ...state, cardAttempt: state.cardAttempt + 1, prepared: null }, ctx, texts.cardAgain);
}
