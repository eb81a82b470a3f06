/**
 * The metered part, through the shared talk machine: talk starts at the later of the rep's answer
 * and the bridge, a tick each minute, a warning to both parties before the limit the hold (or the
 * flat rate) affords, the cutoff at it, and the end at the earliest hang-up — then settle.
 */
import { startTalk, stepTalk, type TalkConfig } from "../../ivr/metered-talk";
import type { EngineEvent } from "../../ivr/types";
import type { AdviceEvent } from "./advice-state";
import { settle } from "./advice-settle";
import { callerLeg, talkLimitSec, type AdviceCtx, type AdviceResult, type AdviceState } from "./advice-state";
import { warningText } from "./advice-texts";

/** Slack past the limit before the shell's stale-call guard may step in. */
export const DEADLINE_MARGIN_MS = 120_000;

export const talkConfig = (ctx: AdviceCtx): TalkConfig => ({
  warningSec: ctx.line.config.warningSec,
  warningText: () => warningText(ctx.line.config),
  extendLeadSec: null,
});

export function startAdviceTalk(state: AdviceState, ctx: AdviceCtx, startedAt: number): AdviceResult {
  const other = state.agent?.leg;
  if (!other) return { state, commands: [] };
  const limitAt = startedAt + talkLimitSec(ctx.line.config) * 1000;
  const talk = startTalk(talkConfig(ctx), { caller: callerLeg(state), other }, startedAt, limitAt, ctx.now);
  return { state: { ...state, phase: "talking", talk: talk.state }, commands: talk.commands };
}

export function talking(state: AdviceState, e: AdviceEvent, ctx: AdviceCtx): AdviceResult {
  if (!state.talk) return { state, commands: [] };
  // Card events are not the talk machine's: it ignores every type it does not know.
  const step = stepTalk(talkConfig(ctx), state.talk, e as EngineEvent, ctx.now);
  const next = { ...state, talk: step.state };
  if (step.result?.kind !== "ended") return { state: next, commands: step.commands };
  const { endedAt, cause, by } = step.result;
  return settle(next, ctx, { status: "completed", endedAt, cause, by }, step.commands);
}

/**
 * For the stale-call guard: a live talk cannot legitimately outlast its limit plus a margin. A
 * paused talk (a secure payment) has no known end yet: the liveness checks watch it meanwhile.
 */
export function talkDeadline(state: AdviceState): number | null {
  if (!state.talk?.limitAt || state.talk.pausedSince !== null) return null;
  return state.talk.limitAt + DEADLINE_MARGIN_MS;
}
