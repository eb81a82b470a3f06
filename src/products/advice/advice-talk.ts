/**
 * The metered part: talk starts at the later of the rep's answer and the bridge, a tick each
 * minute keeps the live count, a warning goes to both parties before the limit, and the cutoff
 * hangs up both. The first hang-up's event time stops the clock (never past the limit).
 */
import { clearTimers, hangupLegs, setTimer } from "../../ivr/commands";
import { say } from "../../ivr/prompts";
import type { CallEvent, StepResult } from "../../ivr/types";
import { settle } from "./advice-settle";
import { callerLeg, talkLimitSec, type AdviceCtx, type AdviceState } from "./advice-state";
import { warningText } from "./advice-texts";

type Result = StepResult<AdviceState>;
type Ev<T extends CallEvent["type"]> = Extract<CallEvent, { type: T }>;

/** After the cutoff hangs up both legs, how long we wait for their hang-up before settling anyway. */
export const HANGUP_WAIT_MS = 15_000;
/** Slack past the limit before the shell's stale-call guard may step in. */
export const DEADLINE_MARGIN_MS = 120_000;

export function startTalk(state: AdviceState, ctx: AdviceCtx, startedAt: number): Result {
  const cfg = ctx.line.config;
  const limitSec = talkLimitSec(cfg);
  const warning =
    limitSec > cfg.warningSec ? [setTimer("warning", startedAt + (limitSec - cfg.warningSec) * 1000)] : [];
  return {
    state: { ...state, phase: "talking", talk: { startedAt, limitSec, minutes: 0, warned: false } },
    commands: [
      ...clearTimers("ring_timeout"),
      setTimer("tick", startedAt + 60_000),
      ...warning,
      setTimer("cutoff", startedAt + limitSec * 1000),
    ],
  };
}

/** Live minute count; derived from the event time so a repeated tick cannot count twice. */
export function tick(state: AdviceState, e: Ev<"timer_fired">): Result {
  const talk = state.talk;
  if (!talk) return { state, commands: [] };
  const minutes = Math.max(talk.minutes, Math.floor((e.at - talk.startedAt) / 60_000));
  return {
    state: { ...state, talk: { ...talk, minutes } },
    commands: [setTimer("tick", talk.startedAt + (minutes + 1) * 60_000)],
  };
}

export function warn(state: AdviceState, _e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  if (!state.talk || state.talk.warned) return { state, commands: [] };
  return {
    state: { ...state, talk: { ...state.talk, warned: true } },
    commands: [say(callerLeg(state), warningText(ctx.line.config), "both")],
  };
}

/** The limit is reached: hang up both, then settle on the first hang-up (or after a short wait). */
export function cutOff(state: AdviceState, _e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  return {
    state: { ...state, phase: "cutting_off" },
    commands: [
      ...clearTimers("tick", "warning"),
      ...hangupLegs(state.caller?.leg, state.agent?.leg),
      setTimer("hangup_wait", ctx.now + HANGUP_WAIT_MS),
    ],
  };
}

const limitEnd = (state: AdviceState): number =>
  state.talk ? state.talk.startedAt + state.talk.limitSec * 1000 : 0;

/** Either party hung up: the clock stops at that event's time; the other leg is hung up. */
export function endTalk(state: AdviceState, e: Ev<"leg_hung_up">, ctx: AdviceCtx): Result {
  const other = e.leg === state.caller?.leg ? state.agent?.leg : state.caller?.leg;
  const cutting = state.phase === "cutting_off";
  const endedAt = state.talk ? Math.min(e.at, limitEnd(state)) : e.at;
  const hangup = cutting ? [] : hangupLegs(other);
  return settle(
    state,
    ctx,
    { status: "completed", endedAt, cause: cutting ? "time_limit" : e.cause },
    hangup,
  );
}

export function hangupNeverReported(state: AdviceState, _e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  return settle(state, ctx, { status: "completed", endedAt: limitEnd(state), cause: "time_limit" });
}

/** For the stale-call guard: a live talk cannot legitimately outlast its limit plus a margin. */
export function talkDeadline(state: AdviceState): number | null {
  return state.talk ? limitEnd(state) + DEADLINE_MARGIN_MS : null;
}
