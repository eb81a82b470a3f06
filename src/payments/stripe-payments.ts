/**
 * Payments on Stripe PaymentIntents (MOTO, raw card data), through the official SDK over fetch so
 * the same code runs in workerd and Node. The SDK never retries: the CallSession DO owns retries and
 * repeats them with the same idempotency keys, so a replay can never charge twice.
 * Card data lives only in the request being sent; it must not reach an error, log or metadata.
 */
import Stripe from "stripe";
import {
  PaymentsRejectedError,
  PaymentsUnavailableError,
  type AuthorizeInput,
  type ConfirmResult,
  type Payments,
  type PrepareResult,
} from "./payments";
import { declineCodeOf, declineReasonOf, hasCode, isUnexpectedState, toPaymentsError } from "./stripe-errors";

export interface StripePaymentsOptions {
  secretKey: string;
  /** e.g. https://api.stripe.com or http://127.0.0.1:PORT (the stand-in). */
  apiBase: string;
  /** Per-request timeout; the SDK's default (80 s) is longer than a caller will wait. */
  timeoutMs?: number;
}

export function createStripePayments(opts: StripePaymentsOptions): Payments {
  const stripe = createStripeClient(opts);

  return {
    async prepare(input) {
      try {
        return await prepareCard(stripe, input);
      } catch (err) {
        const reason = declineReasonOf(err);
        if (reason) return { ok: false, reason, code: declineCodeOf(err) };
        throw toPaymentsError("prepare", err);
      }
    },

    async confirm(paymentId, idempotencyKey) {
      try {
        return await confirmIntent(stripe, paymentId, idempotencyKey);
      } catch (err) {
        const reason = declineReasonOf(err);
        if (reason) return { ok: false, reason, code: declineCodeOf(err) };
        const failure = toPaymentsError("confirm", err);
        throw failure instanceof PaymentsUnavailableError
          ? new PaymentsUnavailableError(failure.message, paymentId)
          : failure;
      }
    },

    async authorize(input) {
      const prepared = await this.prepare(input);
      if (!prepared.ok) return prepared;
      const confirmed = await this.confirm(prepared.paymentId, `${input.idempotencyKey}:confirm`);
      if (!confirmed.ok) return confirmed;
      return { ...confirmed, brand: prepared.brand, last4: prepared.last4 };
    },

    async capture(paymentId, amount, idempotencyKey, applicationFee) {
      try {
        await stripe.paymentIntents.capture(
          paymentId,
          {
            amount_to_capture: amount,
            // Stripe would collect the hold's fee (capped at the capture): size it to what is taken.
            ...(applicationFee !== undefined ? { application_fee_amount: applicationFee } : {}),
          },
          { idempotencyKey },
        );
      } catch (err) {
        if (isUnexpectedState(err) && (await statusOf(stripe, paymentId, "capture")) === "succeeded") return;
        throw toPaymentsError("capture", err);
      }
    },

    async cancel(paymentId, idempotencyKey) {
      try {
        await stripe.paymentIntents.cancel(paymentId, {}, { idempotencyKey });
      } catch (err) {
        if (isUnexpectedState(err) && (await statusOf(stripe, paymentId, "cancel")) === "canceled") return;
        throw toPaymentsError("cancel", err);
      }
    },

    async refund(paymentId, idempotencyKey) {
      try {
        // A merchant's charge: the refund comes out of the merchant's balance, fee returned to it.
        const intent = await stripe.paymentIntents.retrieve(paymentId);
        const destination = intent.transfer_data?.destination ?? null;
        await stripe.refunds.create(
          {
            payment_intent: paymentId,
            ...(destination ? { reverse_transfer: true, refund_application_fee: true } : {}),
          },
          { idempotencyKey },
        );
      } catch (err) {
        if (hasCode(err, "charge_already_refunded")) return;
        throw toPaymentsError("refund", err);
      }
    },

    async release(paymentId, idempotencyKey) {
      // Decided by the intent's state, read fresh: a confirmation may still land between the read
      // and the cancel, so one "unexpected state" is followed by a second look.
      for (let look = 0; look < 2; look++) {
        const status = await statusOf(stripe, paymentId, "release");
        if (status === "canceled") return "nothing_to_do";
        if (status === "processing")
          throw new PaymentsUnavailableError("Stripe release: intent still processing", paymentId);
        try {
          if (status === "succeeded") {
            await this.refund(paymentId, `${idempotencyKey}:refund`);
            return "refunded";
          }
          await this.cancel(paymentId, `${idempotencyKey}:cancel`);
          return "canceled";
        } catch (err) {
          if (!(err instanceof PaymentsRejectedError) || look > 0) throw err;
        }
      }
      throw new PaymentsUnavailableError("Stripe release: the intent kept changing state", paymentId);
    },
  };
}

export function createStripeClient(opts: StripePaymentsOptions): Stripe {
  const base = new URL(opts.apiBase);
  const protocol = base.protocol === "http:" ? "http" : "https";
  return new Stripe(opts.secretKey, {
    httpClient: Stripe.createFetchHttpClient(),
    host: base.hostname,
    port: base.port || (protocol === "http" ? 80 : 443),
    protocol,
    maxNetworkRetries: 0,
    timeout: opts.timeoutMs ?? 30_000,
  });
}

async function prepareCard(stripe: Stripe, input: AuthorizeInput): Promise<PrepareResult> {
  const { card } = input;
  const paymentMethod = await stripe.paymentMethods.create(
    {
      type: "card",
      card: { number: card.number, exp_month: card.expMonth, exp_year: card.expYear, cvc: card.cvc },
      billing_details: { address: { postal_code: card.postalCode, line1: card.streetNumber } },
    },
    { idempotencyKey: `${input.idempotencyKey}:pm` },
  );
  // Unconfirmed: nothing is asked of the card's issuer yet, but the intent's id is now known.
  const intent = await stripe.paymentIntents.create(
    {
      amount: input.amount,
      currency: input.currency,
      payment_method: paymentMethod.id,
      capture_method: input.capture,
      // API 2026-10-28 renamed `payment_method_types` to this on create; the response keeps both.
      allowed_payment_method_types: ["card"],
      description: input.description,
      metadata: input.metadata,
      ...destinationCharge(input),
    },
    { idempotencyKey: input.idempotencyKey },
  );
  return {
    ok: true,
    paymentId: intent.id,
    brand: paymentMethod.card?.brand ?? "unknown",
    last4: paymentMethod.card?.last4 ?? "",
  };
}

/** A merchant's payment: the money lands in its account, and Stripe shows it as the merchant of record. */
function destinationCharge(input: AuthorizeInput): Partial<Stripe.PaymentIntentCreateParams> {
  if (!input.payee) return {};
  const { account, applicationFee } = input.payee;
  return {
    transfer_data: { destination: account },
    on_behalf_of: account,
    ...(applicationFee > 0 ? { application_fee_amount: applicationFee } : {}),
  };
}

async function confirmIntent(
  stripe: Stripe,
  paymentId: string,
  idempotencyKey: string,
): Promise<ConfirmResult> {
  let status: string;
  let amount: number;
  try {
    const intent = await stripe.paymentIntents.confirm(
      paymentId,
      { payment_method_options: { card: { moto: true } } },
      { idempotencyKey },
    );
    status = intent.status;
    amount = intent.amount;
  } catch (err) {
    // Already confirmed (an earlier confirmation whose answer was lost): its state is the answer.
    if (!isUnexpectedState(err)) throw err;
    const intent = await stripe.paymentIntents.retrieve(paymentId);
    status = intent.status;
    amount = intent.amount;
  }
  if (status === "requires_capture" || status === "succeeded") return { ok: true, paymentId, status, amount };
  // Refused by the issuer: the intent waits for another card.
  if (status === "requires_payment_method") return { ok: false, reason: "declined", code: null };
  // processing, requires_action…: not known yet. MOTO skips 3-D Secure, so this is rare; the
  // intent stays open and is released at the end unless a retry finds it approved.
  throw new PaymentsUnavailableError(`Stripe confirm: intent is ${status}`, paymentId);
}

/** The intent's current status; if it can't be read, that failure is what the caller must retry. */
async function statusOf(stripe: Stripe, paymentId: string, operation: string): Promise<string> {
  try {
    return (await stripe.paymentIntents.retrieve(paymentId)).status;
  } catch (err) {
    throw toPaymentsError(`${operation} (status check)`, err);
  }
}
