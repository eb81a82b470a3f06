/**
 * Turns what the Stripe SDK throws into our vocabulary: a decline reason, "retry later"
 * (PaymentsUnavailableError) or "retry won't help" (PaymentsRejectedError).
 * Stripe's own `message` can echo request parameters, so it is never copied into our errors;
 * only type, code, param, HTTP status and request id are — none of which can hold card data.
 */
import Stripe from "stripe";
import { PaymentsRejectedError, PaymentsUnavailableError, type DeclineReason } from "./payments";

type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

const declineByCode: Record<string, DeclineReason> = {
  card_declined: "declined",
  expired_card: "expired_card",
  // A past expiry date is refused when the PaymentMethod is created, before any issuer sees it.
  invalid_expiry_month: "expired_card",
  invalid_expiry_year: "expired_card",
  incorrect_cvc: "incorrect_cvc",
  invalid_cvc: "incorrect_cvc",
  incorrect_number: "incorrect_number",
  invalid_number: "incorrect_number",
};

export function isStripeError(err: unknown): err is StripeError {
  return err instanceof Stripe.errors.StripeError;
}

/** The decline reason for a card error, or null when `err` is not a card error. */
export function declineReasonOf(err: unknown): DeclineReason | null {
  if (!(err instanceof Stripe.errors.StripeCardError)) return null;
  const reason = declineByCode[err.code ?? ""] ?? "declined";
  if (reason === "declined" && err.decline_code === "insufficient_funds") return "insufficient_funds";
  return reason;
}

/** Stripe's own code for a card error (decline_code when it gave one): safe to store and show. */
export function declineCodeOf(err: unknown): string | null {
  if (!(err instanceof Stripe.errors.StripeCardError)) return null;
  return err.decline_code || err.code || null;
}

/** Stripe's answer when an intent is not in a state that allows the operation. */
export function isUnexpectedState(err: unknown): boolean {
  return isStripeError(err) && err.code === "payment_intent_unexpected_state";
}

export function hasCode(err: unknown, code: string): boolean {
  return isStripeError(err) && err.code === code;
}

function isRetryable(err: StripeError): boolean {
  if (err instanceof Stripe.errors.StripeConnectionError) return true;
  if (err instanceof Stripe.errors.StripeRateLimitError) return true;
  if (err.code === "lock_timeout" || err.code === "idempotency_key_in_use") return true;
  const status = err.statusCode ?? 0;
  return status === 429 || status === 409 || status >= 500;
}

function describe(operation: string, err: StripeError): string {
  const parts = [`type=${err.type}`];
  if (err.code) parts.push(`code=${err.code}`);
  if (err.param) parts.push(`param=${err.param}`);
  if (err.statusCode) parts.push(`status=${err.statusCode}`);
  if (err.requestId) parts.push(`request=${err.requestId}`);
  return `Stripe ${operation} failed (${parts.join(", ")})`;
}

/** Maps any non-decline failure to one of our two error classes; never keeps the original as cause. */
export function toPaymentsError(
  operation: string,
  err: unknown,
): PaymentsUnavailableError | PaymentsRejectedError {
  if (err instanceof PaymentsUnavailableError || err instanceof PaymentsRejectedError) return err;
  if (!isStripeError(err)) {
    // Not an answer from Stripe (a bug or a runtime failure): the request may not have been sent,
    // and retrying with the same idempotency key is harmless either way.
    return new PaymentsUnavailableError(`Stripe ${operation} failed (unexpected ${typeOf(err)})`);
  }
  const message = describe(operation, err);
  return isRetryable(err)
    ? new PaymentsUnavailableError(message)
    : new PaymentsRejectedError(message, err.code ?? err.type);
}

function typeOf(err: unknown): string {
  return err instanceof Error ? err.name : typeof err;
}
