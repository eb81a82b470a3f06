/**
 * Carries out the card-payments commands for a CallSession: card fields into (and out of) the
 * call's volatile memory, then the Stripe steps through the payments adapter. The only place
 * card data leaves memory, and it leaves only towards Stripe, never into a result, log or error.
 * A refusal of a money operation is a result the flow hears (payment_refused), not a silent drop.
 */
import { defineCapability, type CallMemory, type EffectContext, type EffectOutcome } from "../engine/effect";
import {
  PaymentsRejectedError,
  PaymentsUnavailableError,
  type CardDetails,
  type Payments,
} from "../payments/payments";
import type { CardCommand, CardEvent, CardField, MoneyOperation } from "./vocabulary";

const CARD_KEY = (field: CardField) => `card.${field}`;
const FIELDS: CardField[] = ["number", "expiry", "street", "zip", "cvc"];

function forgetCard(memory: CallMemory): void {
  for (const field of FIELDS) memory.delete(CARD_KEY(field));
}

/** How many card fields sit in memory right now (never their values): for inspection and tests. */
export const heldCardFields = (memory: CallMemory): number =>
  FIELDS.filter((f) => memory.has(CARD_KEY(f))).length;

function cardFromMemory(memory: CallMemory): CardDetails | null {
  const number = memory.get(CARD_KEY("number"));
  const expiry = memory.get(CARD_KEY("expiry"));
  const cvc = memory.get(CARD_KEY("cvc"));
  if (!number || !expiry || expiry.length !== 4 || !cvc) return null;
  const details: CardDetails = {
    number,
    expMonth: Number(expiry.slice(0, 2)),
    expYear: 2000 + Number(expiry.slice(2, 4)),
    cvc,
  };
  const zip = memory.get(CARD_KEY("zip"));
  const street = memory.get(CARD_KEY("street"));
  if (zip) details.postalCode = zip;
  if (street) details.streetNumber = street;
  return details;
}

/**
 * Stripe saves a 500 under its idempotency key and replays it for ever, so a money command that
 * failed gets a fresh key per retry. Safe only because capture, cancel, refund and release are
 * state-checked in the adapter (already captured / cancelled / refunded counts as done).
 */
const retryKey = (key: string, fx: EffectContext): string =>
  fx.attempt === 0 ? key : `${key}:retry${fx.attempt}`;

const done = (event: CardEvent): EffectOutcome => ({ kind: "done", event });

async function prepare(
  cmd: Extract<CardCommand, { type: "prepare_payment" }>,
  fx: EffectContext,
): Promise<EffectOutcome> {
  const card = cardFromMemory(fx.memory);
  const at = fx.now();
  // Memory lost (restart): nothing was confirmed under this key, so asking again is safe.
  if (!card) return done({ type: "card_data_lost", at });
  try {
    const result = await fx.deps.payments().prepare({
      amount: cmd.amount,
      currency: cmd.currency,
      card,
      capture: cmd.capture,
      idempotencyKey: cmd.idempotencyKey,
      description: cmd.description,
      metadata: { call_session_id: fx.sessionId },
      ...(cmd.payee ? { payee: cmd.payee } : {}),
    });
    // Stripe has the card now (or refused it): the digits leave memory.
    forgetCard(fx.memory);
    return done(
      result.ok
        ? {
            type: "payment_prepared",
            paymentId: result.paymentId,
            brand: result.brand,
            last4: result.last4,
            at,
          }
        : { type: "payment_declined", reason: result.reason, code: result.code, paymentId: null, at },
    );
  } catch (err) {
    // The caller is waiting: the flow apologises and offers a retry (card still in memory).
    if (err instanceof PaymentsUnavailableError) return done({ type: "payment_unavailable", at });
    forgetCard(fx.memory);
    if (err instanceof PaymentsRejectedError)
      return done({ type: "payment_declined", reason: "declined", code: err.code, paymentId: null, at });
    throw err;
  }
}

async function confirm(
  cmd: Extract<CardCommand, { type: "confirm_payment" }>,
  fx: EffectContext,
): Promise<EffectOutcome> {
  const at = fx.now();
  try {
    const result = await fx.deps.payments().confirm(cmd.paymentId, cmd.idempotencyKey);
    if (!result.ok)
      return done({
        type: "payment_declined",
        reason: result.reason,
        code: result.code,
        paymentId: cmd.paymentId,
        at,
      });
    const base = { paymentId: result.paymentId, amount: result.amount, at };
    return done(
      result.status === "succeeded"
        ? { type: "payment_charged", ...base }
        : { type: "payment_authorized", ...base },
    );
  } catch (err) {
    if (err instanceof PaymentsUnavailableError)
      return done({ type: "payment_unavailable", paymentId: cmd.paymentId, at });
    if (err instanceof PaymentsRejectedError)
      return done({
        type: "payment_declined",
        reason: "declined",
        code: err.code,
        paymentId: cmd.paymentId,
        at,
      });
    throw err;
  }
}

/** Runs one settling operation; Stripe's refusal comes back as payment_refused (and is logged). */
async function settle(
  operation: MoneyOperation,
  paymentId: string,
  amount: number,
  fx: EffectContext,
  run: (payments: Payments) => Promise<"done" | "nothing_to_do">,
): Promise<EffectOutcome> {
  try {
    const outcome = await run(fx.deps.payments());
    return done({ type: "payment_settled", operation, paymentId, amount, outcome, at: fx.now() });
  } catch (err) {
    if (!(err instanceof PaymentsRejectedError)) throw err;
    console.error(
      JSON.stringify({
        msg: "payment.refused",
        call: fx.sessionId,
        operation,
        payment: paymentId,
        code: err.code,
      }),
    );
    return done({ type: "payment_refused", operation, paymentId, code: err.code, at: fx.now() });
  }
}

const money = { kind: "outbox", lane: () => "money", policy: "money" } as const;

export const cardPayments = defineCapability<CardCommand>({
  name: "card-payments",
  handlers: {
    hold_card_field: {
      kind: "memory",
      apply: (cmd, memory) => void memory.set(CARD_KEY(cmd.field), cmd.value),
    },
    forget_card: { kind: "memory", apply: (_cmd, memory) => forgetCard(memory) },
    prepare_payment: { ...money, run: prepare },
    confirm_payment: { ...money, run: confirm },
    capture_payment: {
      ...money,
      run: (cmd, fx) =>
        settle("capture", cmd.paymentId, cmd.amount, fx, async (p) => {
          await p.capture(cmd.paymentId, cmd.amount, retryKey(cmd.idempotencyKey, fx), cmd.applicationFee);
          return "done";
        }),
    },
    cancel_payment: {
      ...money,
      run: (cmd, fx) =>
        settle("cancel", cmd.paymentId, 0, fx, async (p) => {
          await p.cancel(cmd.paymentId, retryKey(cmd.idempotencyKey, fx));
          return "done";
        }),
    },
    refund_payment: {
      ...money,
      run: (cmd, fx) =>
        settle("refund", cmd.paymentId, cmd.amount, fx, async (p) => {
          await p.refund(cmd.paymentId, retryKey(cmd.idempotencyKey, fx));
          return "done";
        }),
    },
    release_payment: {
      ...money,
      run: (cmd, fx) =>
        settle("release", cmd.paymentId, 0, fx, async (p) =>
          (await p.release(cmd.paymentId, retryKey(cmd.idempotencyKey, fx))) === "nothing_to_do"
            ? "nothing_to_do"
            : "done",
        ),
    },
  },
  describeEvent(event) {
    const e = event as CardEvent;
    switch (e.type) {
      case "payment_declined":
        return { type: e.type, reason: e.reason, code: e.code };
      case "payment_settled":
        return { type: e.type, operation: e.operation, outcome: e.outcome };
      case "payment_refused":
        return { type: e.type, operation: e.operation, code: e.code };
      default:
        return undefined;
    }
  },
});
