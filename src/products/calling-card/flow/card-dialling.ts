/**
 * Placing one call on the card, once its number is rated (card-destination.ts): the reservation (what the card can spend on it, taken atomically), the minutes it buys,
 * then the dial — linked to the caller, bridged by Telnyx on answer, with Telnyx's time limit as a
 * backstop. Busy, no answer, rejected, unknown and unreachable numbers each get a reason and cost
 * nothing (the reservation is released).
 */
import { clearTimers, setTimer } from "../../../ivr/commands";
import { startTalk } from "../../../ivr/metered-talk";
import { say } from "../../../ivr/prompts";
import type { EngineCommand, EngineEvent, HangupCause } from "../../../ivr/types";
import type { CardCommand, CardEvent } from "../card-vocabulary";
import { costOfLongestCall, secondsAffordable, chargeCall } from "../rating/pricing";
import { outcomeStatus, tryAnotherNumber } from "./card-destination";
import { endSession, goodbye } from "./card-end";
import { settleCall, talkConfig } from "./card-talk";
import {
  callerLeg,
  destRole,
  type CardCtx,
  type CardFlowEvent,
  type CardResult,
  type CardState,
} from "./card-state";
import { minutesText, texts } from "./card-texts";

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;
type CardEv<T extends CardEvent["type"]> = Extract<CardEvent, { type: T }>;

/** Beyond Telnyx's own ring timeout, how long we wait for the dialled leg before giving up on it. */
export const RING_BACKSTOP_SEC = 15;

export function rated(state: CardState, e: CardEv<"destination_rated">, ctx: CardCtx): CardResult {
  const card = state.card;
  if (!card) return { state, commands: [] };
  const { at: _at, type: _type, ...ratedDestination } = e;
  const maxSec = ctx.line.config.maxCallMinutes * 60;
  const budget = card.available - e.connectionFee;
  const affordable = secondsAffordable(budget, e.rate, card.currency, e.packageLeft, maxSec);
  if (affordable === 0) {
    if (ctx.line.config.mode === "direct")
      return goodbye(state, ctx, `${texts.notEnoughForDestination} ${texts.goodbye}`, "insufficient_balance");
    return tryAnotherNumber(state, ctx, texts.notEnoughForDestination);
  }
  const first = chargeCall(e.rate.firstBlockSec, e.rate, card.currency, e.packageLeft).amount;
  const key = `${ctx.sessionId}:${state.calls + 1}`;
  const reserve: CardCommand = {
    type: "reserve_balance",
    key,
    accountId: card.accountId,
    amount: costOfLongestCall(e.rate, card.currency, e.packageLeft, maxSec) + e.connectionFee,
    minimum: first + e.connectionFee,
    maxCalls: ctx.line.config.maxSimultaneousCalls,
    rated: ratedDestination,
  };
  const placed = {
    key,
    rated: ratedDestination,
    reserved: 0,
    limitSec: 0,
    leg: null,
    answeredAt: null,
    bridgedAt: null,
  };
  return { state: { ...state, phase: "reserving", calls: state.calls + 1, placed }, commands: [reserve] };
}

export function reserved(state: CardState, e: CardEv<"balance_reserved">, ctx: CardCtx): CardResult {
  const placed = state.placed;
  const card = state.card;
  if (!placed || !card || placed.key !== e.key) return { state, commands: [] };
  const r = placed.rated;
  const limitSec = secondsAffordable(
    e.amount - r.connectionFee,
    r.rate,
    card.currency,
    r.packageLeft,
    ctx.line.config.maxCallMinutes * 60,
  );
  const next: CardState = { ...state, placed: { ...placed, reserved: e.amount, limitSec } };
  if (state.callerLeft) return settleCall(next, ctx, "cancelled", state.callerLeft.endedAt);
  // Someone else's call took part of the balance meanwhile: not enough left for this one.
  if (limitSec === 0)
    return settleCall(
      { ...next, notice: texts.notEnoughForDestination },
      ctx,
      "insufficient_balance",
      ctx.now,
    );
  return {
    state: { ...next, phase: "announcing" },
    commands: [say(callerLeg(state), minutesText(limitSec))],
  };
}

export function reserveRefused(state: CardState, e: CardEv<"reserve_refused">, ctx: CardCtx): CardResult {
  if (!state.placed || state.placed.key !== e.key) return { state, commands: [] };
  const next = { ...state, placed: null };
  if (state.callerLeft) return endSession(next, ctx, state.callerLeft);
  if (e.reason === "in_use")
    return goodbye(
      next,
      ctx,
      "This card is in use on another call. Please try again later. Goodbye.",
      outcomeStatus(state, "card_in_use"),
    );
  if (e.reason === "expired")
    return goodbye(next, ctx, "This card has expired. Goodbye.", outcomeStatus(state, "card_expired"));
  if (e.reason === "blocked")
    return goodbye(next, ctx, "This card has been blocked. Goodbye.", outcomeStatus(state, "card_blocked"));
  if (ctx.line.config.mode === "direct")
    return goodbye(next, ctx, `${texts.notEnoughForDestination} ${texts.goodbye}`, "insufficient_balance");
  return tryAnotherNumber(next, ctx, texts.notEnoughForDestination);
}

/** The minutes were announced: dial, linked to the caller, bridged on answer. */
export function dialOut(state: CardState, _e: Ev<"speak_ended">, ctx: CardCtx): CardResult {
  const placed = state.placed;
  if (!placed) return { state, commands: [] };
  const cfg = ctx.line.config;
  const dial: EngineCommand = {
    type: "dial",
    role: destRole(state.calls),
    to: placed.rated.destination,
    from: ctx.line.number,
    linkTo: callerLeg(state),
    timeoutSecs: cfg.ringTimeoutSec,
    // Backstop only: our cutoff ends the call; Telnyx counts this from the dial, ringing included.
    timeLimitSecs: Math.min(14_400, Math.max(30, placed.limitSec + cfg.ringTimeoutSec + 30)),
    bridgeOnAnswer: true,
  };
  return {
    state: { ...state, phase: "ringing" },
    commands: [dial, setTimer("ring_timeout", ctx.now + (cfg.ringTimeoutSec + RING_BACKSTOP_SEC) * 1000)],
  };
}

const NOT_CONNECTED: Partial<Record<HangupCause, [string, string]>> = {
  user_busy: ["busy", texts.busy],
  no_answer: ["no_answer", texts.noAnswer],
  timeout: ["no_answer", texts.noAnswer],
  call_rejected: ["rejected", texts.rejected],
  not_found: ["not_found", texts.notFound],
};

/** The dialled leg ended before it was connected: say why; the reservation is released. */
function notConnected(
  state: CardState,
  ctx: CardCtx,
  cause: HangupCause | "ring_timeout",
  hangUp: boolean,
): CardResult {
  const [outcome, text] = (cause === "ring_timeout" ? undefined : NOT_CONNECTED[cause]) ?? [
    "unreachable",
    texts.unreachable,
  ];
  const leg = state.placed?.leg;
  const settle = settleCall({ ...state, notice: text }, ctx, outcome, ctx.now);
  const extra: EngineCommand[] = [
    ...clearTimers("ring_timeout"),
    ...(hangUp && leg ? [{ type: "hangup", leg } as const] : []),
  ];
  return { state: settle.state, commands: [...extra, ...settle.commands] };
}

const isPlacedLeg = (state: CardState, e: { role: string }) => e.role === destRole(state.calls);

/** While the number rings: its leg, its answer and the bridge (in either order), or why it failed. */
export function ringing(state: CardState, e: CardFlowEvent, ctx: CardCtx): CardResult {
  const placed = state.placed;
  if (!placed) return { state, commands: [] };
  const none = { state, commands: [] };
  switch (e.type) {
    case "leg_dialled":
      return isPlacedLeg(state, e)
        ? { state: { ...state, placed: { ...placed, leg: e.leg } }, commands: [] }
        : none;
    case "leg_answered":
      if (!isPlacedLeg(state, e)) return none;
      return maybeTalking({ ...state, placed: { ...placed, leg: e.leg, answeredAt: e.at } }, ctx);
    case "legs_bridged":
      if (placed.bridgedAt !== null || (e.leg !== callerLeg(state) && !isPlacedLeg(state, e))) return none;
      return maybeTalking({ ...state, placed: { ...placed, bridgedAt: e.at } }, ctx);
    case "leg_hung_up":
      if (e.leg === callerLeg(state)) {
        const left = {
          status: outcomeStatus(state, "abandoned"),
          endedAt: e.at,
          cause: e.cause,
          by: "caller" as const,
        };
        const settle = settleCall({ ...state, callerLeft: left }, ctx, "cancelled", e.at);
        return {
          state: settle.state,
          commands: [
            ...clearTimers("ring_timeout"),
            ...(placed.leg ? [{ type: "hangup", leg: placed.leg } as const] : []),
            ...settle.commands,
          ],
        };
      }
      return isPlacedLeg(state, e) ? notConnected(state, ctx, e.cause, false) : none;
    case "timer_fired":
      return e.name === "ring_timeout" ? notConnected(state, ctx, "ring_timeout", true) : none;
    default:
      return none;
  }
}

/** Talk starts at the later of the answer and the bridge; the cutoff is what the reservation buys. */
function maybeTalking(state: CardState, ctx: CardCtx): CardResult {
  const placed = state.placed;
  if (!placed?.leg || placed.answeredAt === null || placed.bridgedAt === null) return { state, commands: [] };
  const startedAt = Math.max(placed.answeredAt, placed.bridgedAt);
  const talk = startTalk(
    talkConfig(ctx),
    { caller: callerLeg(state), other: placed.leg },
    startedAt,
    startedAt + placed.limitSec * 1000,
    ctx.now,
  );
  const totals = { ...state.totals, firstTalkAt: state.totals.firstTalkAt ?? startedAt };
  return {
    state: { ...state, phase: "talking", talk: talk.state, totals },
    commands: [...clearTimers("ring_timeout"), ...talk.commands],
  };
}
