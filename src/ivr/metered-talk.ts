/**
 * Metered talk, one machine for every product that bills or limits a conversation: a tick each
 * minute keeps the live count, a warning goes to both parties before the limit, the cutoff hangs
 * up both at it, and the call ends at the earliest hang-up. The limit comes from a funding source
 * the product supplies (a card hold, an account's reserved credit, a card's balance) and can be
 * extended mid-call (the cutoff moves, the warning is re-armed) or paused (e.g. while the caller
 * keys a card). Times are the platform's event times; the machine is pure.
 */
import { clearTimers, hangupLegs, setTimer } from "./commands";
import { say } from "./prompts";
import type { EndedBy } from "./call-record";
import type { EngineCommand, EngineEvent, LegId } from "./types";

export interface TalkConfig {
  /** Warn this many seconds before the limit (when the limit is farther away than that). */
  warningSec: number;
  warningText: (secondsLeft: number) => string;
  /** Ask the product for more funding this long before the limit; null: the limit is final. */
  extendLeadSec: number | null;
  /**
   * When the other party leaves first: "end" (default) hangs the caller up too; "keep" leaves the
   * caller on the line (a calling card's next call), and talk ends at the other's hang-up.
   */
  otherLeaves?: "end" | "keep";
}

export interface TalkState {
  startedAt: number;
  caller: LegId;
  /** The other party: the agent or the dialled destination. */
  other: LegId;
  /** When the money runs out (null: no limit). Moves on extend and on resume after a pause. */
  limitAt: number | null;
  /** The limit the warning was spoken for (a later extension re-arms it). */
  warnedFor: number | null;
  minutes: number;
  pausedSince: number | null;
  pausedMs: number;
  /** The first hang-up (or the cutoff) was seen: waiting briefly for the other leg's. */
  ending: { at: number; by: EndedBy; cause: string; down: LegId[] } | null;
}

export type TalkResult =
  /** callerUp: the caller is still on the line (only with otherLeaves "keep"). */
  | { kind: "ended"; endedAt: number; talkedSec: number; by: EndedBy; cause: string; callerUp: boolean }
  /** The limit is near and the config asks for more: the product reserves and calls extendTalk. */
  | { kind: "needs_funds"; limitAt: number };

export interface TalkStep {
  state: TalkState;
  commands: EngineCommand[];
  result?: TalkResult;
}

export const TALK_TIMERS = ["tick", "warning", "funds", "cutoff", "hangup_wait"] as const;
/** After the cutoff hangs up both legs, how long we wait for their hang-up before settling anyway. */
export const CUTOFF_WAIT_MS = 15_000;
/**
 * After the first hang-up, how long we wait for the other leg's: Telnyx may deliver a hang-up that
 * happened earlier after a later one, and talk ends at the earliest.
 */
export const OTHER_HANGUP_WAIT_MS = 3_000;
/** The cause recorded when the caller ends the talk but stays on the line (releaseOther). */
export const RELEASED_BY_CALLER = "released_by_caller";

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

/** The commands that arm the limit's timers (warning, funding request, cutoff) from `now`. */
function limitTimers(cfg: TalkConfig, state: TalkState, now: number): EngineCommand[] {
  const limit = state.limitAt;
  if (limit === null || state.pausedSince !== null) return clearTimers("warning", "funds", "cutoff");
  const warnAt = limit - cfg.warningSec * 1000;
  const fundsAt = cfg.extendLeadSec === null ? null : limit - cfg.extendLeadSec * 1000;
  return [
    ...(state.warnedFor !== limit && warnAt > now ? [setTimer("warning", warnAt)] : clearTimers("warning")),
    ...(fundsAt !== null ? [setTimer("funds", Math.max(now, fundsAt))] : clearTimers("funds")),
    setTimer("cutoff", limit),
  ];
}

export function startTalk(
  cfg: TalkConfig,
  legs: { caller: LegId; other: LegId },
  startedAt: number,
  limitAt: number | null,
  now: number,
): TalkStep {
  const state: TalkState = {
    startedAt,
    ...legs,
    limitAt,
    warnedFor: null,
    minutes: 0,
    pausedSince: null,
    pausedMs: 0,
    ending: null,
  };
  return { state, commands: [setTimer("tick", startedAt + 60_000), ...limitTimers(cfg, state, now)] };
}

/** More funding arrived: the cutoff moves to `limitAt` and the warning is re-armed for it. */
export function extendTalk(cfg: TalkConfig, state: TalkState, limitAt: number, now: number): TalkStep {
  if (state.ending || (state.limitAt !== null && limitAt <= state.limitAt)) return { state, commands: [] };
  const next = { ...state, limitAt };
  return { state: next, commands: limitTimers(cfg, next, now) };
}

/** Stops the clock (the caller is busy elsewhere, e.g. keying a card): nothing is billed meanwhile. */
export function pauseTalk(state: TalkState, now: number): TalkStep {
  if (state.pausedSince !== null || state.ending) return { state, commands: [] };
  return { state: { ...state, pausedSince: now }, commands: clearTimers("warning", "funds", "cutoff") };
}

/** Starts the clock again; the limit moves by the time spent paused. */
export function resumeTalk(cfg: TalkConfig, state: TalkState, now: number): TalkStep {
  if (state.pausedSince === null || state.ending) return { state, commands: [] };
  const paused = Math.max(0, now - state.pausedSince);
  const next: TalkState = {
    ...state,
    pausedSince: null,
    pausedMs: state.pausedMs + paused,
    limitAt: state.limitAt === null ? null : state.limitAt + paused,
  };
  return { state: next, commands: limitTimers(cfg, next, now) };
}

/** Talk time in whole seconds up to `endedAt`, pauses excluded, never past the limit. */
export function talkedSeconds(state: TalkState, endedAt: number): number {
  const end = state.limitAt === null ? endedAt : Math.min(endedAt, state.limitAt);
  const openPause = state.pausedSince === null ? 0 : Math.max(0, end - state.pausedSince);
  return Math.max(0, Math.floor((end - state.startedAt - state.pausedMs - openPause) / 1000));
}

function ended(state: TalkState, commands: EngineCommand[] = []): TalkStep {
  const ending = state.ending ?? {
    at: state.startedAt,
    by: "system" as const,
    cause: "unspecified",
    down: [],
  };
  return {
    state,
    commands: [...commands, ...clearTimers(...TALK_TIMERS)],
    result: {
      kind: "ended",
      endedAt: ending.at,
      talkedSec: talkedSeconds(state, ending.at),
      by: ending.by,
      cause: ending.cause,
      callerUp: !ending.down.includes(state.caller),
    },
  };
}

/**
 * The caller ends this talk but stays on the line (e.g. "##" for a next call): talk ends now, the
 * other leg is hung up, and the talk is over once its hang-up is seen (or after CUTOFF_WAIT_MS).
 */
export function releaseOther(state: TalkState, at: number, now: number): TalkStep {
  if (state.ending) return { state, commands: [] };
  const next: TalkState = { ...state, ending: { at, by: "caller", cause: RELEASED_BY_CALLER, down: [] } };
  return {
    state: next,
    commands: [
      ...clearTimers("tick", "warning", "funds", "cutoff"),
      ...hangupLegs(state.other),
      setTimer("hangup_wait", now + CUTOFF_WAIT_MS),
    ],
  };
}

/** A hang-up: the first one starts the end (the other leg is hung up); talk ends at the earliest. */
function hungUp(cfg: TalkConfig, state: TalkState, e: Ev<"leg_hung_up">, now: number): TalkStep {
  const by: EndedBy = e.leg === state.caller ? "caller" : "agent";
  const keep = cfg.otherLeaves === "keep";
  if (!state.ending && keep && e.leg === state.other) {
    // The caller stays; wait briefly in case their own (earlier) hang-up is still on its way.
    const next = { ...state, ending: { at: e.at, by, cause: e.cause, down: [e.leg] } };
    return {
      state: next,
      commands: [
        ...clearTimers("tick", "warning", "funds", "cutoff"),
        setTimer("hangup_wait", now + OTHER_HANGUP_WAIT_MS),
      ],
    };
  }
  if (!state.ending) {
    const other = e.leg === state.caller ? state.other : state.caller;
    const next = { ...state, ending: { at: e.at, by, cause: e.cause, down: [e.leg] } };
    return {
      state: next,
      commands: [
        ...clearTimers("tick", "warning", "funds", "cutoff"),
        ...hangupLegs(other),
        setTimer("hangup_wait", now + OTHER_HANGUP_WAIT_MS),
      ],
    };
  }
  if (state.ending.down.includes(e.leg)) return { state, commands: [] };
  const earlier = e.at < state.ending.at;
  const next: TalkState = {
    ...state,
    ending: {
      at: earlier ? e.at : state.ending.at,
      by: earlier ? by : state.ending.by,
      cause: earlier ? e.cause : state.ending.cause,
      down: [...state.ending.down, e.leg],
    },
  };
  if (next.ending && next.ending.down.length >= 2) return ended(next);
  // Released by the caller (releaseOther): the other leg's hang-up is all we wait for.
  const released = keep && state.ending.cause === RELEASED_BY_CALLER && e.leg === state.other;
  return released ? ended(next) : { state: next, commands: [] };
}

/** Feeds one event about the talk; anything else (and anything late) changes nothing. */
export function stepTalk(cfg: TalkConfig, state: TalkState, e: EngineEvent, now: number): TalkStep {
  const none: TalkStep = { state, commands: [] };
  if (e.type === "leg_hung_up" && (e.leg === state.caller || e.leg === state.other))
    return hungUp(cfg, state, e, now);
  if (e.type !== "timer_fired") return none;
  if (e.name === "hangup_wait") return state.ending ? ended(state) : none;
  if (state.ending) return none;
  switch (e.name) {
    case "tick": {
      // Derived from the event time, so a repeated tick cannot count a minute twice.
      const minutes = Math.max(state.minutes, Math.floor((e.at - state.startedAt - state.pausedMs) / 60_000));
      return {
        state: { ...state, minutes },
        commands: [setTimer("tick", e.at + 60_000 - ((e.at - state.startedAt - state.pausedMs) % 60_000))],
      };
    }
    case "warning": {
      if (state.limitAt === null || state.warnedFor === state.limitAt || state.pausedSince !== null)
        return none;
      const left = Math.max(0, Math.round((state.limitAt - e.at) / 1000));
      return {
        state: { ...state, warnedFor: state.limitAt },
        commands: [say(state.caller, cfg.warningText(left), "both")],
      };
    }
    case "funds":
      return state.limitAt === null || state.pausedSince !== null
        ? none
        : { state, commands: [], result: { kind: "needs_funds", limitAt: state.limitAt } };
    case "cutoff": {
      if (state.limitAt === null || state.pausedSince !== null || e.at < state.limitAt) return none;
      const next = {
        ...state,
        ending: { at: state.limitAt, by: "system" as const, cause: "time_limit", down: [] },
      };
      return {
        state: next,
        commands: [
          ...clearTimers("tick", "warning", "funds"),
          ...hangupLegs(state.caller, state.other),
          setTimer("hangup_wait", now + CUTOFF_WAIT_MS),
        ],
      };
    }
    default:
      return none;
  }
}

/** For the stale-call guard: a live talk cannot legitimately outlast its limit (null: no limit). */
export const talkLimit = (state: TalkState | null): number | null => state?.limitAt ?? null;
