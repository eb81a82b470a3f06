/**
 * Talk funded by the customer's credit, through the shared talk machine: the limit is what the
 * reserved credit pays for; ahead of it more is reserved while credit remains (the cutoff moves,
 * the warning is re-armed); when none is left both parties are warned, and the call is cut at it.
 */
import { extendTalk, startTalk, stepTalk, type TalkConfig } from "../../ivr/metered-talk";
import type { EngineEvent } from "../../ivr/types";
import { settle } from "./agent-line-settle";
import {
  callerLeg,
  type AgentLineCtx,
  type AgentLineFlowEvent,
  type AgentLineResult,
  type AgentLineState,
} from "./agent-line-state";
import { texts } from "./agent-line-texts";
import { nextReservation, talkAffordable } from "./pricing";
import type { AgentLineCommand, AgentLineEvent } from "./vocabulary";

/** Ask for more credit this long before the limit (the warning comes later, only if none is left). */
export const EXTEND_LEAD_SEC = 90;

export const talkConfig = (ctx: AgentLineCtx): TalkConfig => ({
  warningSec: ctx.line.config.warningSec,
  warningText: (left) => texts.warning(left),
  extendLeadSec: EXTEND_LEAD_SEC,
});

/** A free price would afford endless talk: no call runs past this on one reservation. */
const MAX_TALK_SEC = 4 * 3600;

const limitFor = (state: AgentLineState, ctx: AgentLineCtx, startedAt: number, total: number): number =>
  state.customer
    ? startedAt +
      Math.min(MAX_TALK_SEC, talkAffordable(total, ctx.line.config.increment, state.customer)) * 1000
    : startedAt;

export function startFundedTalk(
  state: AgentLineState,
  ctx: AgentLineCtx,
  startedAt: number,
): AgentLineResult {
  const other = state.agent?.leg;
  if (!other) return { state, commands: [] };
  const talk = startTalk(
    talkConfig(ctx),
    { caller: callerLeg(state), other },
    startedAt,
    limitFor(state, ctx, startedAt, state.credit.total),
    ctx.now,
  );
  return { state: { ...state, phase: "talking", talk: talk.state }, commands: talk.commands };
}

function askForMore(state: AgentLineState, ctx: AgentLineCtx): AgentLineResult {
  const customer = state.customer;
  if (!customer || state.credit.asking) return { state, commands: [] };
  const n = state.credit.reservations + 1;
  const reserve: AgentLineCommand = {
    type: "reserve_credit",
    customerId: customer.id,
    reservationId: `${ctx.sessionId}:${n}`,
    amount: nextReservation(Number.MAX_SAFE_INTEGER, ctx.line.config.reserveBlockMinutes, customer, false),
    minimum: customer.pricePerMinute,
  };
  return {
    state: { ...state, credit: { ...state.credit, reservations: n, asking: true } },
    commands: [reserve],
  };
}

/** More credit came through: the cutoff moves to what it all pays for. */
export function moreCredit(
  state: AgentLineState,
  e: Extract<AgentLineEvent, { type: "credit_reserved" }>,
  ctx: AgentLineCtx,
): AgentLineResult {
  const credit = { ...state.credit, total: state.credit.total + e.amount, asking: false };
  if (!state.talk) return { state: { ...state, credit }, commands: [] };
  const limitAt = limitFor(state, ctx, state.talk.startedAt, credit.total) + state.talk.pausedMs;
  const step = extendTalk(talkConfig(ctx), state.talk, limitAt, ctx.now);
  return { state: { ...state, credit, talk: step.state }, commands: step.commands };
}

export function talking(state: AgentLineState, e: AgentLineFlowEvent, ctx: AgentLineCtx): AgentLineResult {
  if (!state.talk) return { state, commands: [] };
  // The agent line's own events are not the talk machine's: it ignores types it does not know.
  const step = stepTalk(talkConfig(ctx), state.talk, e as EngineEvent, ctx.now);
  const next = { ...state, talk: step.state };
  if (step.result?.kind === "needs_funds") {
    const more = askForMore(next, ctx);
    return { state: more.state, commands: [...step.commands, ...more.commands] };
  }
  if (step.result?.kind !== "ended") return { state: next, commands: step.commands };
  const { endedAt, cause, by } = step.result;
  return settle(next, ctx, { status: "completed", endedAt, cause, by }, step.commands);
}
