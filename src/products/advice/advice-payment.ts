/**
 * Taking the money before the rep: authorise (hold for per-minute, charge for flat rate) and act on
 * the answer — approved, declined (another card, within the line's tries; then customer service or
 * goodbye), invalid number (card again), processor unavailable (retry with a fresh key: Stripe
 * replays a saved 500 under the old one), card data lost (card again). Every refusal is a payment row.
 */
import { startCollect, stepCollect } from "../../ivr/collect-digits";
import { say } from "../../ivr/prompts";
import type { CardCommand, CardEvent } from "../../card-payments/vocabulary";
import type { EngineCommand, EngineEvent, PaymentRecord } from "../../ivr/types";
import { oneOrTwo, startCard } from "./advice-menus";
import { askThen, questionsAt } from "./advice-questions";
import { reserveAgent } from "./advice-connect";
import { goodbye, settle } from "./advice-settle";
import {
  attemptsLeft,
  callerLeg,
  holdAmount,
  type AdviceCtx,
  type AdviceResult,
  type AdviceState,
} from "./advice-state";
import { texts } from "./advice-texts";

type Card<T extends CardEvent["type"]> = Extract<CardEvent, { type: T }>;
type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

/** How many times the caller may ask to try again while the processor is unreachable. */
export const UNAVAILABLE_RETRIES = 2;

/** Same attempt, same try → same key (a replay after a restart never charges twice). */
export const attemptKey = (
  ctx: AdviceCtx,
  state: Pick<AdviceState, "attempt" | "unavailableTries">,
): string =>
  `${ctx.sessionId}:pi:${state.attempt}${state.unavailableTries ? `:t${state.unavailableTries}` : ""}`;

/** Sends the card (prepare), or confirms again the payment this attempt already prepared. */
export function authorize(state: AdviceState, ctx: AdviceCtx): AdviceResult {
  const cfg = ctx.line.config;
  const key = attemptKey(ctx, state);
  const command: CardCommand = state.prepared
    ? { type: "confirm_payment", paymentId: state.prepared, idempotencyKey: `${key}:confirm` }
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
export function preparedPayment(
  state: AdviceState,
  e: Card<"payment_prepared">,
  ctx: AdviceCtx,
): AdviceResult {
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
  e: Card<"payment_authorized" | "payment_charged">,
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
  e: Card<"payment_authorized" | "payment_charged">,
  ctx: AdviceCtx,
): AdviceResult {
  const next = withPayment(state, e, ctx);
  // Questions asked after the payment come before the rep; without them, straight to a rep.
  const asking = questionsAt(ctx.line.config, "rep").length > 0;
  const then = asking ? askThen(next, ctx, "rep") : reserveAgent(next, ctx);
  return {
    state: then.state,
    commands: [
      { type: "forget_card" },
      say(callerLeg(state), asking ? texts.approvedFirst : texts.approved),
      ...then.commands,
    ],
  };
}

/** A refused authorisation is kept on the call's payments, so /payments shows every attempt Stripe saw. */
function refusalRecord(state: AdviceState, e: Card<"payment_declined">, ctx: AdviceCtx): PaymentRecord {
  return {
    paymentId: e.paymentId ?? `attempt:${attemptKey(ctx, state)}`,
    kind: "attempt",
    amount: holdAmount(ctx.line.config),
    currency: ctx.line.config.currency,
    status: "failed",
    code: e.code ?? e.reason,
    at: e.at,
  };
}

/** No more cards: customer service (when the line has one) or goodbye. */
function declinePath(
  state: AdviceState,
  ctx: AdviceCtx,
  at: number,
  forget: (EngineCommand | CardCommand)[],
  farewell: string = texts.declinedGoodbye,
): AdviceResult {
  if (ctx.line.config.customerServiceNumber) {
    return {
      state: {
        ...state,
        phase: "transferring",
        menu: null,
        pending: { status: "payment_failed", endedAt: at, cause: null, by: "system" },
      },
      commands: [...forget, say(callerLeg(state), texts.declinedToService)],
    };
  }
  return goodbye(state, ctx, farewell, "payment_failed", forget);
}

export function declined(prior: AdviceState, e: Card<"payment_declined">, ctx: AdviceCtx): AdviceResult {
  // A refusal is final (the adapter reports anything unclear as unavailable): no money moved, so
  // this attempt's payment leaves the release list.
  const state: AdviceState = {
    ...prior,
    prepared: null,
    openIntents: prior.openIntents.filter((id) => id !== prior.prepared),
    payments: [...prior.payments, refusalRecord(prior, e, ctx)],
  };
  const forget: CardCommand[] = [{ type: "forget_card" }];
  if (attemptsLeft(state, ctx.line.config) <= 0)
    return declinePath(
      state,
      ctx,
      e.at,
      forget,
      state.attempt > 1 ? texts.tooManyCards : texts.declinedGoodbye,
    );
  if (e.reason === "incorrect_number") {
    const again = startCard(
      { ...state, attempt: state.attempt + 1, unavailableTries: 0 },
      ctx,
      texts.invalidNumber,
    );
    return { state: again.state, commands: [...forget, ...again.commands] };
  }
  const menu = startCollect(oneOrTwo(texts.declinedMenu, ctx.line.config.maxTries), callerLeg(state));
  return {
    state: { ...state, phase: "decline_menu", menu: menu.state },
    commands: [...forget, ...menu.commands],
  };
}

/** "Press 1 to try another card, or 2 to end the call." */
export function answerDeclineMenu(
  state: AdviceState,
  e: Ev<"digits_gathered">,
  ctx: AdviceCtx,
): AdviceResult {
  if (!state.menu) return { state, commands: [] };
  const step = stepCollect(oneOrTwo(texts.declinedMenu, ctx.line.config.maxTries), state.menu, e);
  const next = { ...state, menu: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done":
      return step.result.value === "1"
        ? startCard({ ...next, attempt: next.attempt + 1, unavailableTries: 0 }, ctx, texts.anotherCard)
        : declinePath(next, ctx, e.at, []);
    case "cancelled":
    case "failed":
      return declinePath(next, ctx, e.at, []);
    case "hungUp":
      return settle(next, ctx, {
        status: "payment_failed",
        endedAt: e.at,
        cause: "normal_clearing",
        by: "caller",
      });
  }
}

/** The decline message ended: hand the caller to customer service; our part of the call is over. */
export function transferToService(state: AdviceState, e: Ev<"speak_ended">, ctx: AdviceCtx): AdviceResult {
  const to = ctx.line.config.customerServiceNumber;
  if (!to) return goodbye(state, ctx, texts.declinedGoodbye, "payment_failed");
  const transfer: EngineCommand = {
    type: "transfer",
    leg: callerLeg(state),
    to,
    from: ctx.line.number,
    timeoutSecs: 30,
    role: "transfer:service",
  };
  return settle(state, ctx, { status: "payment_failed", endedAt: e.at, cause: "transferred", by: "system" }, [
    transfer,
  ]);
}

/** Stripe's answer was lost: a prepared payment stays open (released at the end unless confirmed). */
export function unavailable(
  state: AdviceState,
  _e: Card<"payment_unavailable">,
  ctx: AdviceCtx,
): AdviceResult {
  if (state.unavailableTries >= UNAVAILABLE_RETRIES) {
    return goodbye(state, ctx, texts.unavailableGoodbye, "payment_failed", [{ type: "forget_card" }]);
  }
  const menu = startCollect(oneOrTwo(texts.unavailableMenu, ctx.line.config.maxTries), callerLeg(state));
  return { state: { ...state, phase: "retry_menu", menu: menu.state }, commands: menu.commands };
}

export function answerRetry(state: AdviceState, e: Ev<"digits_gathered">, ctx: AdviceCtx): AdviceResult {
  if (!state.menu) return { state, commands: [] };
  const step = stepCollect(oneOrTwo(texts.unavailableMenu, ctx.line.config.maxTries), state.menu, e);
  const next = { ...state, menu: step.state };
  const forget: CardCommand[] = [{ type: "forget_card" }];
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done":
      return step.result.value === "1"
        ? authorize({ ...next, unavailableTries: next.unavailableTries + 1 }, ctx)
        : goodbye(next, ctx, texts.goodbye, "payment_failed", forget);
    case "cancelled":
    case "failed":
      return goodbye(next, ctx, texts.goodbye, "payment_failed", forget);
    case "hungUp":
      return settle(
        next,
        ctx,
        { status: "abandoned", endedAt: e.at, cause: "normal_clearing", by: "caller" },
        forget,
      );
  }
}

export function cardLost(state: AdviceState, _e: Card<"card_data_lost">, ctx: AdviceCtx): AdviceResult {
  // Our restart lost the digits: a new entry, with a new key.
  return startCard(
    { ...state, attempt: state.attempt + 1, prepared: null, unavailableTries: 0 },
    ctx,
    texts.cardDataLost,
  );
}

/** The caller left while we were authorising: wait for the answer so a hold is never left behind. */
export function awaitPayment(state: AdviceState, e: Ev<"leg_hung_up">): AdviceResult {
  return {
    state: {
      ...state,
      phase: "awaiting_payment",
      pending: { status: "abandoned", endedAt: e.at, cause: e.cause, by: "caller" },
    },
    commands: [],
  };
}

/** The late answer for a caller who already left: record it, then settle (which releases it). */
export function settleLatePayment(state: AdviceState, e: CardEvent, ctx: AdviceCtx): AdviceResult {
  const outcome = state.pending ?? { status: "abandoned", endedAt: e.at, cause: null, by: "caller" as const };
  if (e.type === "payment_prepared") {
    // Never confirmed, so it holds nothing; settlement releases it anyway, to leave nothing open.
    return settle({ ...state, openIntents: [...state.openIntents, e.paymentId] }, ctx, outcome);
  }
  if (e.type === "payment_declined")
    return settle({ ...state, payments: [...state.payments, refusalRecord(state, e, ctx)] }, ctx, outcome);
  if (e.type !== "payment_authorized" && e.type !== "payment_charged") return settle(state, ctx, outcome);
  return settle(withPayment(state, e, ctx), ctx, outcome);
}
