/**
 * Ending a card session, once: a last message and hang-up (goodbye), or the caller gone; then the
 * call record every product writes (calls placed, seconds billed, what the card paid), and done.
 * By then no reservation is held: the talk and dialling handlers settle theirs first.
 */
import { clearTimers, setTimer } from "../../../ivr/commands";
import { CONNECT_TIMERS } from "../../../ivr/connect-agent";
import { TALK_TIMERS } from "../../../ivr/metered-talk";
import { say } from "../../../ivr/prompts";
import type { CallRecord, EngineCommand, EngineEvent } from "../../../ivr/types";
import type { CardCommand } from "../card-vocabulary";
import { settleCall } from "./card-talk";
import { callerLeg, type CardCtx, type CardOutcome, type CardResult, type CardState } from "./card-state";

export const TIMERS = [...TALK_TIMERS, ...CONNECT_TIMERS, "ring_timeout", "goodbye"];
export const GOODBYE_BACKSTOP_MS = 30_000;

export function goodbye(
  state: CardState,
  ctx: CardCtx,
  text: string,
  status: string,
  extra: (EngineCommand | CardCommand)[] = [],
): CardResult {
  return {
    state: {
      ...state,
      phase: "goodbye",
      entry: null,
      pending: { status, endedAt: ctx.now, cause: null, by: "system" },
    },
    commands: [...extra, say(callerLeg(state), text), setTimer("goodbye", ctx.now + GOODBYE_BACKSTOP_MS)],
  };
}

export function finishGoodbye(state: CardState, ctx: CardCtx, at: number): CardResult {
  const status = state.pending?.status ?? "completed";
  const end = endSession(state, ctx, { status, endedAt: at, cause: "normal_clearing", by: "system" });
  return { state: end.state, commands: [{ type: "hangup", leg: callerLeg(state) }, ...end.commands] };
}

/** The caller hung up: a reservation on its way or held is released first, then the session ends. */
export function callerGone(
  state: CardState,
  e: Extract<EngineEvent, { type: "leg_hung_up" }>,
  ctx: CardCtx,
): CardResult {
  const outcome: CardOutcome = {
    status: state.pending?.status ?? (state.totals.connected > 0 ? "completed" : "abandoned"),
    endedAt: e.at,
    cause: e.cause,
    by: "caller",
  };
  // reserving: the answer is awaited (it may hold money); announcing: the reservation is held.
  if (state.phase === "reserving" || state.phase === "settling_call")
    return { state: { ...state, callerLeft: outcome }, commands: [] };
  if (state.phase === "announcing")
    return settleCall({ ...state, callerLeft: outcome }, ctx, "cancelled", e.at);
  return endSession(state, ctx, outcome);
}

export function endSession(state: CardState, ctx: CardCtx, outcome: CardOutcome): CardResult {
  const caller = state.caller;
  const record: CallRecord = {
    lineId: ctx.line.id,
    product: ctx.line.product,
    callerNumber: caller?.from ?? "",
    calledNumber: caller?.to ?? ctx.line.number,
    startedAt: caller?.startedAt ?? outcome.endedAt,
    answeredAt: caller?.answeredAt ?? null,
    talkStartedAt: state.totals.firstTalkAt,
    endedAt: outcome.endedAt,
    billableSeconds: state.totals.billableSeconds,
    amount: state.totals.amount,
    // ISO 4217 "XXX": no currency, for a session that never reached a card.
    currency: state.card?.currency ?? "xxx",
    status: outcome.status,
    hangupCause: outcome.cause,
    endedBy: outcome.by,
    agentId: null,
    cardBrand: null,
    cardLast4: null,
    paymentId: null,
    payments: [],
    voicemail: null,
  };
  return {
    state: { ...state, phase: "ending", entry: null, pending: outcome },
    commands: [...clearTimers(...TIMERS), { type: "forget_pin" }, { type: "record_call", record }],
  };
}

export function settled(state: CardState): CardResult {
  return { state: { ...state, phase: "done" }, commands: [] };
}
