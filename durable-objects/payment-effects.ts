/**
 * The two payment steps, as outbox effects. prepare_payment is the only place card data leaves the
 * CallSession's memory (to the payments adapter); it moves no money and yields the payment's id.
 * confirm_payment needs no card data, so a resend after a restart replays the same confirmation.
 */
import type { CallEvent, CardField, Command } from "../src/ivr/types";
import {
  PaymentsRejectedError,
  PaymentsUnavailableError,
  type CardDetails,
  type Payments,
} from "../src/payments/payments";
import type { EffectContext, EffectOutcome } from "./effects";

export async function preparePayment(
  cmd: Extract<Command, { type: "prepare_payment" }>,
  fx: EffectContext,
  payments: Payments,
): Promise<EffectOutcome> {
  const card = cardFromMemory(fx.card);
  const at = fx.now();
  // Memory lost (restart): nothing was confirmed under this key, so asking again is safe.
  if (!card) return { kind: "done", event: { type: "card_data_lost", at } };
  try {
    const result = await payments.prepare({
      amount: cmd.amount,
      currency: cmd.currency,
      card,
      capture: cmd.capture,
      idempotencyKey: cmd.idempotencyKey,
      description: cmd.description,
      metadata: { call_session_id: fx.sessionId },
    });
    // Stripe has the card now (or refused it): the digits leave memory.
    fx.card.clear();
    const event: CallEvent = result.ok
      ? {
          type: "payment_prepared",
          paymentId: result.paymentId,
          brand: result.brand,
          last4: result.last4,
          at,
        }
      : { type: "payment_declined", reason: result.reason, at };
    return { kind: "done", event };
  } catch (err) {
    // The caller is waiting: the flow apologises and offers a retry (same key, card still in memory).
    if (err instanceof PaymentsUnavailableError)
      return { kind: "done", event: { type: "payment_unavailable", at } };
    fx.card.clear();
    if (err instanceof PaymentsRejectedError)
      return { kind: "done", event: { type: "payment_declined", reason: "declined", at } };
    throw err;
  }
}

export async function confirmPayment(
  cmd: Extract<Command, { type: "confirm_payment" }>,
  fx: EffectContext,
  payments: Payments,
): Promise<EffectOutcome> {
  const at = fx.now();
  try {
    const result = await payments.confirm(cmd.paymentId, cmd.idempotencyKey);
    if (!result.ok) return { kind: "done", event: { type: "payment_declined", reason: result.reason, at } };
    const base = { paymentId: result.paymentId, amount: result.amount, at };
    const event: CallEvent =
      result.status === "succeeded"
        ? { type: "payment_charged", ...base }
        : { type: "payment_authorized", ...base };
    return { kind: "done", event };
  } catch (err) {
    if (err instanceof PaymentsUnavailableError)
      return { kind: "done", event: { type: "payment_unavailable", paymentId: cmd.paymentId, at } };
    if (err instanceof PaymentsRejectedError)
      return { kind: "done", event: { type: "payment_declined", reason: "declined", at } };
    throw err;
  }
}

function cardFromMemory(card: Map<CardField, string>): CardDetails | null {
  const number = card.get("number");
  const expiry = card.get("expiry");
  const cvc = card.get("cvc");
  if (!number || !expiry || expiry.length !== 4 || !cvc) return null;
  const details: CardDetails = {
    number,
    expMonth: Number(expiry.slice(0, 2)),
    expYear: 2000 + Number(expiry.slice(2, 4)),
    cvc,
  };
  const zip = card.get("zip");
  const street = card.get("street");
  if (zip) details.postalCode = zip;
  if (street) details.streetNumber = street;
  return details;
}
