/**
 * Reaching a rep after payment: reserve one, dial it linked to the caller's leg, bridge when it
 * answers; a rep who is busy, does not answer or rejects is released and the next one tried.
 * With none free the caller waits in the line's hold queue (until maxWaitSec) or goes to voicemail.
 */
import { clearTimers, hangupLegs, setTimer } from "../../ivr/commands";
import { say } from "../../ivr/prompts";
import type { CallEvent, Command, StepResult } from "../../ivr/types";
import { callerLeg, talkLimitSec, MAX_TALK_SEC, type AdviceCtx, type AdviceState } from "./advice-state";
import { startTalk } from "./advice-talk";
import { texts } from "./advice-texts";
import { startVoicemail } from "./advice-voicemail";

type Result = StepResult<AdviceState>;
type Ev<T extends CallEvent["type"]> = Extract<CallEvent, { type: T }>;

/** Extra time the ring timer allows beyond Telnyx's own dial timeout before we give up on a rep. */
export const RING_BACKSTOP_SEC = 15;

export function reserveAgent(state: AdviceState, ctx: AdviceCtx): Result {
  return {
    state: { ...state, phase: "reserving", agent: null, bridgedAt: null },
    commands: [{ type: "reserve_agent", lineId: ctx.line.id, exclude: state.tried }],
  };
}

function holdMusic(ctx: AdviceCtx): string | null {
  const noRep = ctx.line.config.noRep;
  return noRep.mode === "queue" ? (noRep.holdMusicUrl ?? null) : null;
}

/** A reserved rep (agent_reserved) or one the hold queue offers (agent_offered): ring them. */
export function dialAgent(
  state: AdviceState,
  e: Ev<"agent_reserved" | "agent_offered">,
  ctx: AdviceCtx,
): Result {
  const cfg = ctx.line.config;
  const leaveQueue: Command[] =
    state.phase === "queued"
      ? [
          ...(holdMusic(ctx) ? [{ type: "stop_playback", leg: callerLeg(state) } as const] : []),
          ...clearTimers("queue_timeout"),
        ]
      : [];
  const dial: Command = {
    type: "dial",
    role: `agent:${e.agentId}`,
    to: e.destination,
    from: ctx.line.number,
    linkTo: callerLeg(state),
    timeoutSecs: cfg.ringTimeoutSec,
    // Backstop only: our cutoff timer ends the call; Telnyx counts this from the dial.
    timeLimitSecs: Math.min(MAX_TALK_SEC, Math.max(30, talkLimitSec(cfg) + cfg.ringTimeoutSec + 60)),
  };
  const agent = { id: e.agentId, name: e.name, destination: e.destination, leg: null, answeredAt: null };
  const tried = state.tried.includes(e.agentId) ? state.tried : [...state.tried, e.agentId];
  return {
    state: { ...state, phase: "connecting", agent, tried, bridgedAt: null },
    commands: [
      ...leaveQueue,
      dial,
      setTimer("ring_timeout", ctx.now + (cfg.ringTimeoutSec + RING_BACKSTOP_SEC) * 1000),
    ],
  };
}

export function agentDialled(state: AdviceState, e: Ev<"leg_dialled">): Result {
  if (!state.agent) return { state, commands: [] };
  return { state: { ...state, agent: { ...state.agent, leg: e.leg } }, commands: [] };
}

/** Talk starts only once the rep has answered AND the legs are bridged, at the later of the two. */
function maybeTalk(state: AdviceState, ctx: AdviceCtx, commands: Command[]): Result {
  const answeredAt = state.agent?.answeredAt ?? null;
  if (answeredAt === null || state.bridgedAt === null) return { state, commands };
  const talk = startTalk(state, ctx, Math.max(answeredAt, state.bridgedAt));
  return { state: talk.state, commands: [...commands, ...talk.commands] };
}

export function agentAnswered(state: AdviceState, e: Ev<"leg_answered">, ctx: AdviceCtx): Result {
  if (!state.agent) return { state, commands: [] };
  const next = { ...state, agent: { ...state.agent, leg: e.leg, answeredAt: e.at } };
  // Webhooks may arrive out of order: if the bridge is already reported, do not bridge again.
  const bridge: Command[] =
    state.bridgedAt === null ? [{ type: "bridge", leg: callerLeg(state), other: e.leg }] : [];
  return maybeTalk(next, ctx, bridge);
}

export function legsBridged(state: AdviceState, e: Ev<"legs_bridged">, ctx: AdviceCtx): Result {
  if (state.bridgedAt !== null) return { state, commands: [] };
  return maybeTalk({ ...state, bridgedAt: e.at }, ctx, []);
}

/** Busy, no answer, rejected or our ring timer: free that rep and ask for another. */
export function agentMissed(
  state: AdviceState,
  e: Ev<"leg_hung_up" | "timer_fired">,
  ctx: AdviceCtx,
): Result {
  const agent = state.agent;
  const hangup = e.type === "timer_fired" ? hangupLegs(agent?.leg) : [];
  const release: Command[] = agent ? [{ type: "release_agent", lineId: ctx.line.id, agentId: agent.id }] : [];
  const next = reserveAgent(state, ctx);
  return {
    state: next.state,
    commands: [...hangup, ...clearTimers("ring_timeout"), ...release, ...next.commands],
  };
}

/** No rep free: queue (until the wait from the first join runs out), else voicemail. */
export function noAgent(state: AdviceState, _e: Ev<"no_agent_available">, ctx: AdviceCtx): Result {
  const noRep = ctx.line.config.noRep;
  const join: Command = { type: "join_hold_queue", lineId: ctx.line.id };
  if (noRep.mode === "queue" && !state.queue) {
    const deadline = ctx.now + noRep.maxWaitSec * 1000;
    return {
      state: { ...state, phase: "queued", queue: { deadline } },
      commands: [join, say(callerLeg(state), texts.hold), setTimer("queue_timeout", deadline)],
    };
  }
  if (noRep.mode === "queue" && state.queue && ctx.now < state.queue.deadline) {
    const music = holdMusic(ctx);
    const play: Command[] = music
      ? [{ type: "play", leg: callerLeg(state), audioUrl: music, loop: true }]
      : [];
    return {
      state: { ...state, phase: "queued" },
      commands: [join, ...play, setTimer("queue_timeout", state.queue.deadline)],
    };
  }
  return startVoicemail(state, ctx);
}

/** The "please hold" message ended: hold music until a rep is offered. */
export function playHoldMusic(state: AdviceState, _e: Ev<"speak_ended">, ctx: AdviceCtx): Result {
  const music = holdMusic(ctx);
  if (!music) return { state, commands: [] };
  return { state, commands: [{ type: "play", leg: callerLeg(state), audioUrl: music, loop: true }] };
}

export function queueTimedOut(state: AdviceState, _e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  const stop: Command[] = holdMusic(ctx) ? [{ type: "stop_playback", leg: callerLeg(state) }] : [];
  const voicemail = startVoicemail(state, ctx);
  return {
    state: voicemail.state,
    commands: [{ type: "leave_hold_queue", lineId: ctx.line.id }, ...stop, ...voicemail.commands],
  };
}
