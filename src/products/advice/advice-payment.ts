/**
 * Taking the money before the rep: authorise (hold for per-minute, charge for flat rate) and act on
 * the answer — approved, declined (customer service or goodbye), invalid number (card again),
 * processor unavailable (one retry with the same idempotency key), card data lost (card again).
 */
import { startCollect, stepCollect } from "../../ivr/collect-digits";
import { say } from "../../ivr/prompts";
import type { CallEvent, Command, PaymentRecord, StepResult } from "../../ivr/types";
import { oneOrTwo, startCard } from "./advice-menus";
import { reserveAgent } from "./advice-routing";
import { goodbye, settle } from "./advice-settle";
import { callerLeg, holdAmount, type AdviceCtx, type AdviceState } from "./advice-state";
import { texts } from "./advice-texts";

type Result = StepResult<AdviceState>;
type Ev<T extends CallEvent["type"]> = Extract<CallEvent, { type: T }>;

/** Same attempt → same key: a retry after "unavailable" can never charge twice. */
export const attemptKey = (ctx: AdviceCtx, attempt: number): string => `${ctx.sessionId}:pi:${attempt}`;

/** Sends the card (prepare), or confirms again the payment this attempt already prepared. */
export function authorize(state: AdviceState, ctx: AdviceCtx): Result {
  const cfg = ctx.line.config;
  const key = attemptKey(ctx, state.attempt);
  // A confirmation retried after "unavailable" gets its own key: Stripe replays a saved 500 for
  // ever, and a confirm is state-checked (an already-confirmed intent answers with its state).
  const confirmKey = state.retriedUnavailable ? `${key}:confirm:retry` : `${key}:confirm`;
  const command: Command = state.prepared
    ? { type: "confirm_payment", paymentId: state.prepared, idempotencyKey: confirmKey }
    : {
        type: "prepare_payment",
        amount: holdAmount(cfg),
        currency: cfg.currency,
        capture: cfg.billing === "per_minute" ? "manual" : "automatic",
        idempotencyKey: key,
        description: `${ctx.line.name} advice call`,
      };
  return { state: { ...state, phase: "authorizing", menu: null }, commands: [command] };
}

/** The card is at Stripe and the payment has an id before any money moves: now confirm it. */
export function preparedPayment(state: AdviceState, e: Ev<"payment_prepared">, ctx: AdviceCtx): Result {
  const next: AdviceState = {
    ...state,
    prepared: e.paymentId,
    openIntents: state.openIntents.includes(e.paymentId)
      ? state.openIntents
      : [...state.openIntents, e.paymentId],
    cardBrand: e.brand,
    cardLast4: e.last4,
  };
  return authorize(next, ctx);
}

/** Notes the hold or charge on the state (its id is what settlement captures, cancels or refunds). */
function withPayment(
  state: AdviceState,
  e: Ev<"payment_authorized" | "payment_charged">,
  ctx: AdviceCtx,
): AdviceState {
  const record: PaymentRecord = {
    paymentId: e.paymentId,
    kind: e.type === "payment_charged" ? "charge" : "authorization",
    amount: e.amount,
    currency: ctx.line.config.currency,
    status: "succeeded",
    at: e.at,
  };
  return {
    ...state,
    payment: { id: e.paymentId, amount: e.amount },
    prepared: null,
    openIntents: state.openIntents.filter((id) => id !== e.paymentId),
    payments: [...state.payments, record],
  };
}

export function approved(
  state: AdviceState,
  e: Ev<"payment_authorized" | "payment_charged">,
  ctx: AdviceCtx,
): Result {
  const next = withPayment(state, e, ctx);
  const reserve = reserveAgent(next, ctx);
  return {
    state: reserve.state,
    commands: [{ type: "forget_card" }, say(callerLeg(state), texts.approved), ...reserve.commands],
  };
}

export function declined(prior: AdviceState, e: Ev<"payment_declined">, ctx: AdviceCtx): Result {
  // A refusal is final (the adapter reports anything unclear as unavailable): no money moved, so
  // this attempt's payment leaves the release list.
  const state: AdviceState = {
    ...prior,
    prepared: null,
    openIntents: prior.openIntents.filter((id) => id !== prior.prepared),
  };
  const forget: Command = { type: "forget_card" };
  if (e.reason === "incorrect_number") {
    const again = startCard(
      { ...state, attempt: state.attempt + 1, retriedUnavailable: false },
      ctx,
      texts.invalidNumber,
    );
    return { state: again.state, commands: [forget, ...again.commands] };
  }
  if (ctx.line.config.customerServiceNumber) {
    return {
      state: {
        ...state,
        phase: "transferring",
        pending: { status: "payment_failed", endedAt: e.at, cause: null },
      },
      commands: [forget, say(callerLeg(state), texts.declinedToService)],
    };
  }
  return goodbye(state, ctx, texts.declinedGoodbye, "payment_failed", [forget]);
}

/** The decline message ended: hand the caller to customer service; our part of the call is over. */
export function transferToService(state: AdviceState, e: Ev<"speak_ended">, ctx: AdviceCtx): Result {
  const to = ctx.line.config.customerServiceNumber;
  if (!to) return goodbye(state, ctx, texts.declinedGoodbye, "payment_failed");
  const transfer: Command = {
    type: "transfer",
    leg: callerLeg(state),
    to,
    from: ctx.line.number,
    timeoutSecs: 30,
  };
  return settle(state, ctx, { status: "payment_failed", endedAt: e.at, cause: "transferred" }, [transfer]);
}

/** Stripe's answer was lost: a prepared payment stays open (released at the end unless confirmed). */
export function unavailable(state: AdviceState, _e: Ev<"payment_unavailable">, ctx: AdviceCtx): Result {
  if (state.retriedUnavailable) {
    return goodbye(state, ctx, texts.unavailableGoodbye, "payment_failed", [{ type: "forget_card" }]);
  }
  const menu = startCollect(oneOrTwo(texts.unavailableMenu, ctx.line.config.maxTries), callerLeg(state));
  return { state: { ...state, phase: "retry_menu", menu: menu.state }, commands: menu.commands };
}

export function answerRetry(state: AdviceState, e: Ev<"digits_gathered">, ctx: AdviceCtx): Result {
  if (!state.menu) return { state, commands: [] };
  const step = stepCollect(oneOrTwo(texts.unavailableMenu, ctx.line.config.maxTries), state.menu, e);
  const next = { ...state, menu: step.state };
  const forget: Command[] = [{ type: "forget_card" }];
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done":
      return step.result.value === "1"
        ? authorize({ ...next, retriedUnavailable: true }, ctx)
        : goodbye(next, ctx, texts.goodbye, "payment_failed", forget);
    case "cancelled":
    case "failed":
      return goodbye(next, ctx, texts.goodbye, "payment_failed", forget);
    case "hungUp":
      return settle(next, ctx, { status: "abandoned", endedAt: e.at, cause: "normal_clearing" });
  }
}

export function cardLost(state: AdviceState, _e: Ev<"card_data_lost">, ctx: AdviceCtx): Result {
  // A new attempt (new card entry, new key) gets its own one retry if the processor is unreachable.
  const next = { ...state, attempt: state.attempt + 1, prepared: null, retriedUnavailable: false };
  return startCard(next, ctx, texts.cardDataLost);
}

/** The caller left while we were authorising: wait for the answer so a hold is never left behind. */
export function awaitPayment(state: AdviceState, e: Ev<"leg_hung_up">): Result {
  return {
    state: {
      ...state,
      phase: "awaiting_payment",
      pending: { status: "abandoned", endedAt: e.at, cause: e.cause },
    },
    commands: [],
  };
}

/** The late answer for a caller who already left: record it, then settle (which releases it). */
export function settleLatePayment(state: AdviceState, e: CallEvent, ctx: AdviceCtx): Result {
  const outcome = state.pending ?? { status: "abandoned" as const, endedAt: e.at, cause: null };
  if (e.type === "payment_prepared") {
    // Never confirmed, so it holds nothing; settlement releases it anyway, to leave nothing open.
    return settle({ ...state, openIntents: [...state.openIntents, e.paymentId] }, ctx, outcome);
  }
  if (e.type !== "payment_authorized" && e.type !== "payment_charged") return settle(state, ctx, outcome);
  return settle(withPayment(state, e, ctx), ctx, outcome);
}
