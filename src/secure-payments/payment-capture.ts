/**
 * The caller's part of a secure payment, once the agent is isolated: confirm the amount (1) or
 * reject it (2), then card number, expiry, CVC and ZIP through the shared card-capture machine,
 * each entry confirmed with 1 or re-entered with 2. `*` cancels at any point; 60 s without a key
 * after a prompt stops the payment (Telnyx reports that as a gather timeout with no digits).
 */
import { startCardCapture, stepCardCapture, type CardCaptureConfig } from "../card-payments/card-capture";
import { invalid, startCollect, stepCollect, valid, type CollectDigitsSpec } from "../ivr/collect-digits";
import type { EngineEvent } from "../ivr/types";
import { platformFeeOf } from "../billing/platform-fee";
import type { SecurePaymentSettings } from "./config";
import { conclude } from "./payment-finish";
import {
  inputBackstop,
  opensGather,
  SILENCE_MS,
  type PaymentCommand,
  type PaymentCtx,
  type PaymentResult,
  type SecurePaymentState,
} from "./payment-state";
import { texts } from "./texts";

type Gathered = Extract<EngineEvent, { type: "digits_gathered" }>;

/** How many entry prompts the caller gets for the amount and for each card field. */
export const MAX_TRIES = 3;

export const amountSpec = (state: SecurePaymentState): CollectDigitsSpec => ({
  prompt: texts.amount(state.request.item, state.request.amount, state.request.currency),
  minDigits: 1,
  maxDigits: 1,
  terminator: false,
  validate: (d) => (d === "1" || d === "2" ? valid : invalid("Please press 1 or 2.")),
  maxTries: MAX_TRIES,
  timeoutMs: SILENCE_MS,
});

export const cardConfig = (settings: SecurePaymentSettings): CardCaptureConfig => ({
  steps: {
    number: "touch_tone",
    expiry: "touch_tone",
    street: "touch_tone",
    zip: "touch_tone",
    cvc: "touch_tone",
  },
  fields: ["number", "expiry", "cvc", "zip"],
  zipLength: settings.zipLength,
  maxTries: MAX_TRIES,
  confirm: true,
  confirmCvc: true,
  timeoutMs: SILENCE_MS,
});

/** A prompt with no key at all before Telnyx's timeout: the 60 s rule, not a retry. */
export const silent = (e: Gathered) => e.status === "timeout" && e.digits === "";

export function prompting(
  state: SecurePaymentState,
  commands: PaymentCommand[],
  ctx: PaymentCtx,
): PaymentResult {
  const listening = opensGather(state, commands);
  return {
    state: { ...state, listening },
    commands: listening ? [...commands, inputBackstop(ctx.now)] : commands,
  };
}

/** Telnyx put the agent's leg in the private queue: pause the recording, then the first prompt. */
export function isolated(state: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  const menu = startCollect(amountSpec(state), state.caller);
  return prompting(
    { ...state, phase: "amount", isolated: true, amountMenu: menu.state },
    [
      { type: "clear_timer", name: "sp_isolate" },
      { type: "record_pause", leg: state.caller },
      ...menu.commands,
    ],
    ctx,
  );
}

export function startCard(state: SecurePaymentState, ctx: PaymentCtx, intro?: string): PaymentResult {
  const card = startCardCapture(cardConfig(ctx.settings), state.caller, ctx.now, intro);
  return prompting({ ...state, phase: "card", amountMenu: null, card: card.state }, card.commands, ctx);
}

export function amountEntered(state: SecurePaymentState, e: Gathered, ctx: PaymentCtx): PaymentResult {
  // A gather ended by the hang-up: the hang-up itself decides (it follows).
  if (!state.amountMenu || e.status === "hangup") return { state, commands: [] };
  if (silent(e))
    return conclude({ ...state, listening: false }, ctx, { status: "failed", reason: "timed_out" });
  const step = stepCollect(amountSpec(state), state.amountMenu, e);
  const next = { ...state, amountMenu: step.state, listening: false };
  switch (step.result?.kind) {
    case undefined:
      return prompting(next, step.commands, ctx);
    case "done":
      return step.result.value === "1"
        ? startCard(next, ctx)
        : conclude(next, ctx, { status: "failed", reason: "amount_rejected" });
    case "cancelled":
      return conclude(next, ctx, { status: "failed", reason: "cancelled_by_caller" });
    case "failed":
      return conclude(next, ctx, { status: "failed", reason: "too_many_tries" });
    case "hungUp":
      return { state, commands: [] };
  }
}

export function cardEntered(state: SecurePaymentState, e: Gathered, ctx: PaymentCtx): PaymentResult {
  if (!state.card || e.status === "hangup") return { state, commands: [] };
  if (silent(e))
    return conclude({ ...state, listening: false }, ctx, { status: "failed", reason: "timed_out" });
  const step = stepCardCapture(cardConfig(ctx.settings), state.card, e, ctx.now);
  const next: SecurePaymentState = {
    ...state,
    card: step.state,
    listening: false,
    cardBrand: step.state.brand,
    cardLast4: step.state.last4,
  };
  switch (step.result?.kind) {
    case undefined:
      return prompting(next, step.commands, ctx);
    case "done":
      return charge(next, ctx, step.commands);
    case "cancelled":
      // The card's own field is where the caller stopped: keep it for the record's step.
      return conclude(
        { ...next, card: state.card },
        ctx,
        { status: "failed", reason: "cancelled_by_caller" },
        step.commands,
      );
    case "failed":
      return conclude(
        { ...next, card: state.card },
        ctx,
        { status: "failed", reason: "too_many_tries" },
        step.commands,
      );
    case "hungUp":
      return { state: next, commands: step.commands };
  }
}

/**
 * Every field confirmed: the card goes to Stripe from memory, charged at once (MOTO). On a
 * merchant's line it is a destination charge to the merchant, like the line's own calls, with the
 * line's platform fee; on the platform's own lines, a plain charge.
 */
export function charge(state: SecurePaymentState, ctx: PaymentCtx, before: PaymentCommand[]): PaymentResult {
  const r = state.request;
  const payee = ctx.line.payee;
  return {
    state: { ...state, phase: "charging" },
    commands: [
      ...before,
      { type: "clear_timer", name: "sp_input" },
      {
        type: "prepare_payment",
        amount: r.amount,
        currency: r.currency,
        capture: "automatic",
        // From the request: a replay after a restart, or a duplicated webhook, never charges twice.
        idempotencyKey: `${r.id}:pi:${state.cardAttempt}`,
        description: r.item,
        ...(payee
          ? {
              payee: {
                account: payee.accountId,
                applicationFee: platformFeeOf(r.amount, ctx.settings.platformFeeBasisPoints),
              },
            }
          : {}),
      },
    ],
  };
}
