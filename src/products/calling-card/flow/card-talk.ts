/**
 * The talk, through the shared metered-talk machine (caller kept on the line when the other party
 * leaves), the next-call key ("##") that releases the called party, and settling one call: the
 * rated amount (package seconds first), the plan's connection fee and the buy-rate cost go to the
 * card in one keyed operation; what the reservation held beyond that is released.
 */
import { releaseOther, stepTalk, talkedSeconds, type TalkConfig } from "../../../ivr/metered-talk";
import type { EngineEvent } from "../../../ivr/types";
import type { CardEvent } from "../card-vocabulary";
import { chargeCall } from "../rating/pricing";
import { askDestination } from "./card-destination";
import { endSession } from "./card-end";
import { type CardCtx, type CardFlowEvent, type CardResult, type CardState } from "./card-state";
import { balanceText, texts } from "./card-texts";

type CardEv<T extends CardEvent["type"]> = Extract<CardEvent, { type: T }>;

export const talkConfig = (ctx: CardCtx): TalkConfig => ({
  warningSec: ctx.line.config.warningSec,
  warningText: () => texts.warning,
  extendLeadSec: null,
  otherLeaves: "keep",
});

/** Slack past the limit before the shell's stale-call guard may step in. */
export const DEADLINE_MARGIN_MS = 120_000;

export function talking(state: CardState, e: CardFlowEvent, ctx: CardCtx): CardResult {
  if (!state.talk) return { state, commands: [] };
  const step = stepTalk(talkConfig(ctx), state.talk, e as EngineEvent, ctx.now);
  const next = { ...state, talk: step.state };
  if (step.result?.kind !== "ended") return { state: next, commands: step.commands };
  const { endedAt, cause, by, callerUp } = step.result;
  const outcome = cause === "time_limit" ? "cut_off" : "completed";
  const left = callerUp ? null : { status: "completed", endedAt, cause, by };
  const notice = cause === "time_limit" ? texts.balanceGone : texts.callEnded;
  const settle = settleCall({ ...next, callerLeft: left, notice }, ctx, outcome, endedAt);
  return { state: settle.state, commands: [...step.commands, ...settle.commands] };
}

/** A key during talk: the line's next-call key ("##") ends this call and keeps the caller. */
export function keyPressed(
  state: CardState,
  e: Extract<EngineEvent, { type: "dtmf_received" }>,
  ctx: CardCtx,
): CardResult {
  if (!state.talk || state.talk.ending) return { state, commands: [] };
  const key = ctx.line.config.nextCallKey;
  const keys = `${state.keys}${e.digit}`.slice(-key.length);
  if (keys !== key) return { state: { ...state, keys }, commands: [] };
  const release = releaseOther(state.talk, e.at, ctx.now);
  return { state: { ...state, keys: "", talk: release.state }, commands: release.commands };
}

/** Settles the placed call (connected or not): the card pays what it talked, the rest is released. */
export function settleCall(state: CardState, ctx: CardCtx, outcome: string, endedAt: number): CardResult {
  const placed = state.placed;
  const card = state.card;
  if (!placed || !card) return { state, commands: [] };
  const r = placed.rated;
  const talk = state.talk;
  const talked = talk ? talkedSeconds(talk, endedAt) : 0;
  const charge = chargeCall(talked, r.rate, card.currency, r.packageLeft);
  const connected = talk !== null;
  const fee = connected ? r.connectionFee : 0;
  // Never more than the reservation: the cutoff keeps talk within it, this keeps the debit there.
  const amount = Math.min(charge.amount, placed.reserved - fee);
  return {
    state: { ...state, phase: "settling_call", entry: null },
    commands: [
      {
        type: "settle_card_call",
        key: placed.key,
        accountId: card.accountId,
        outcome,
        destLegId: placed.leg,
        talkStartedAt: talk?.startedAt ?? null,
        endedAt,
        billableSeconds: charge.billableSeconds,
        packageSeconds: charge.packageSeconds,
        packageId: r.packageId,
        period: r.period,
        amount: Math.max(0, amount),
        connectionFee: fee,
        connectionTax: connected ? r.connectionTax : 0,
        costMicros: charge.costMicros,
      },
    ],
  };
}

/** The card has the call's debit: on to the next number, or the end if the caller has gone. */
export function callSettled(state: CardState, e: CardEv<"card_call_settled">, ctx: CardCtx): CardResult {
  const placed = state.placed;
  if (!placed || placed.key !== e.key || !state.card) return { state, commands: [] };
  const connected = state.talk !== null;
  const totals = {
    ...state.totals,
    connected: state.totals.connected + (connected ? 1 : 0),
    billableSeconds: state.totals.billableSeconds + e.billableSeconds,
    amount: state.totals.amount + e.amount,
  };
  const next: CardState = {
    ...state,
    placed: null,
    talk: null,
    keys: "",
    totals,
    card: { ...state.card, available: e.available },
  };
  if (state.callerLeft) return endSession(next, ctx, state.callerLeft);
  const notice = `${state.notice ?? ""} ${balanceText(e.available, state.card.currency)}`.trim();
  return askDestination({ ...next, notice, destinationTries: 0 }, ctx);
}
