/**
 * Connect to an agent, one machine for every product that puts a caller through to a person:
 * reserve the line's best free agent (LineSession, by priority), dial them linked to the caller
 * with a ring timeout, bridge when they answer; busy / no answer / rejected → release them and try
 * the next; none free → the line's hold queue (message, music, a maximum wait) or give up.
 * Talk starts at the later of the agent's answer and the bridge (either webhook may come first).
 * Pure: the parent flow feeds it events and decides what "connected" or "unavailable" lead to.
 */
import { clearTimers, hangupLegs, setTimer } from "./commands";
import { say } from "./prompts";
import { agentRole, type EngineCommand, type EngineEvent, type HangupCause, type LegId } from "./types";

export interface ConnectConfig {
  lineId: string;
  /** The number the agent sees calling (the line's). */
  callerId: string;
  ringTimeoutSec: number;
  /** The dialled leg's server-side backstop (Telnyx time_limit_secs). */
  dialTimeLimitSec?: number;
  /** Wait in the line's hold queue when nobody is free; null: give up at once. */
  queue: { maxWaitSec: number; holdMusicUrl: string | null; holdText: string } | null;
}

export interface ConnectAgent {
  id: string;
  name: string;
  destination: string;
  leg: LegId | null;
  answeredAt: number | null;
}

export interface ConnectState {
  step: "reserving" | "ringing" | "queued";
  caller: LegId;
  agent: ConnectAgent | null;
  /** Agents already dialled on this call; excluded from the next reservation. */
  tried: string[];
  bridgedAt: number | null;
  queue: { deadline: number; music: boolean } | null;
}

export type ConnectResult =
  | { kind: "connected"; agent: ConnectAgent & { leg: LegId }; talkStartedAt: number }
  | { kind: "unavailable"; reason: "no_agent" | "queue_timeout" }
  | { kind: "caller_left"; at: number; cause: HangupCause };

export interface ConnectStep {
  state: ConnectState;
  commands: EngineCommand[];
  result?: ConnectResult;
}

export interface ConnectCtx {
  now: number;
  /** The caller's speech queue has drained (hold music waits for the hold message to end). */
  speechDrained: boolean;
}

/** Beyond Telnyx's own dial timeout, how long our ring timer waits before giving up on an agent. */
export const RING_BACKSTOP_SEC = 15;
export const CONNECT_TIMERS = ["ring_timeout", "queue_timeout"] as const;

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

const reserve = (cfg: ConnectConfig, state: ConnectState): ConnectStep => ({
  state: { ...state, step: "reserving", agent: null, bridgedAt: null },
  commands: [{ type: "reserve_agent", lineId: cfg.lineId, exclude: state.tried }],
});

export function startConnect(cfg: ConnectConfig, caller: LegId): ConnectStep {
  return reserve(cfg, { step: "reserving", caller, agent: null, tried: [], bridgedAt: null, queue: null });
}

/** Frees the agent this call holds (reserved, ringing or talking): for settling and give-ups. */
export function releaseHeld(
  cfg: Pick<ConnectConfig, "lineId">,
  agent: { id: string } | null,
): EngineCommand[] {
  return agent ? [{ type: "release_agent", lineId: cfg.lineId, agentId: agent.id }] : [];
}

function dial(
  cfg: ConnectConfig,
  state: ConnectState,
  e: Ev<"agent_reserved" | "agent_offered">,
  ctx: ConnectCtx,
): ConnectStep {
  const leaving: EngineCommand[] =
    state.step === "queued"
      ? [
          ...(state.queue?.music ? [{ type: "stop_playback", leg: state.caller } as const] : []),
          ...clearTimers("queue_timeout"),
        ]
      : [];
  const command: EngineCommand = {
    type: "dial",
    role: agentRole(e.agentId),
    to: e.destination,
    from: cfg.callerId,
    linkTo: state.caller,
    timeoutSecs: cfg.ringTimeoutSec,
    ...(cfg.dialTimeLimitSec !== undefined ? { timeLimitSecs: cfg.dialTimeLimitSec } : {}),
  };
  const agent = { id: e.agentId, name: e.name, destination: e.destination, leg: null, answeredAt: null };
  const tried = state.tried.includes(e.agentId) ? state.tried : [...state.tried, e.agentId];
  return {
    state: {
      ...state,
      step: "ringing",
      agent,
      tried,
      bridgedAt: null,
      queue: state.queue && { ...state.queue, music: false },
    },
    commands: [
      ...leaving,
      command,
      setTimer("ring_timeout", ctx.now + (cfg.ringTimeoutSec + RING_BACKSTOP_SEC) * 1000),
    ],
  };
}

/** Connected once the agent answered AND the legs are bridged, at the later of the two. */
function maybeConnected(cfg: ConnectConfig, state: ConnectState, commands: EngineCommand[]): ConnectStep {
  const agent = state.agent;
  if (!agent?.leg || agent.answeredAt === null || state.bridgedAt === null) return { state, commands };
  return {
    state,
    commands: [
      ...commands,
      ...clearTimers("ring_timeout"),
      { type: "agent_connected", lineId: cfg.lineId, agentId: agent.id },
    ],
    result: {
      kind: "connected",
      agent: { ...agent, leg: agent.leg },
      talkStartedAt: Math.max(agent.answeredAt, state.bridgedAt),
    },
  };
}

/** Busy, no answer, rejected, or our ring timer: free that agent and ask for another. */
function missed(cfg: ConnectConfig, state: ConnectState, hangUpLeg: boolean): ConnectStep {
  const next = reserve(cfg, state);
  return {
    state: next.state,
    commands: [
      ...(hangUpLeg ? hangupLegs(state.agent?.leg) : []),
      ...clearTimers("ring_timeout"),
      ...releaseHeld(cfg, state.agent),
      ...next.commands,
    ],
  };
}

/** Nobody free: into the hold queue (until the wait from the first join runs out), else give up. */
function noneFree(cfg: ConnectConfig, state: ConnectState, ctx: ConnectCtx): ConnectStep {
  const q = cfg.queue;
  if (!q) return { state, commands: [], result: { kind: "unavailable", reason: "no_agent" } };
  const join: EngineCommand = { type: "join_hold_queue", lineId: cfg.lineId };
  if (!state.queue) {
    const deadline = ctx.now + q.maxWaitSec * 1000;
    return {
      state: { ...state, step: "queued", queue: { deadline, music: false } },
      commands: [join, say(state.caller, q.holdText), setTimer("queue_timeout", deadline)],
    };
  }
  if (ctx.now >= state.queue.deadline)
    return { state, commands: [], result: { kind: "unavailable", reason: "queue_timeout" } };
  const music = q.holdMusicUrl;
  return {
    state: { ...state, step: "queued", queue: { ...state.queue, music: !!music } },
    commands: [
      join,
      ...(music ? [{ type: "play", leg: state.caller, audioUrl: music, loop: true } as const] : []),
      setTimer("queue_timeout", state.queue.deadline),
    ],
  };
}

function queueTimedOut(cfg: ConnectConfig, state: ConnectState): ConnectStep {
  return {
    state,
    commands: [
      { type: "leave_hold_queue", lineId: cfg.lineId },
      ...(state.queue?.music ? [{ type: "stop_playback", leg: state.caller } as const] : []),
    ],
    result: { kind: "unavailable", reason: "queue_timeout" },
  };
}

/** The caller left while we were connecting: nothing may stay ringing, reserved or queued. */
function callerLeft(cfg: ConnectConfig, state: ConnectState, e: Ev<"leg_hung_up">): ConnectStep {
  return {
    state,
    commands: [
      ...hangupLegs(state.step === "ringing" ? state.agent?.leg : null),
      ...clearTimers(...CONNECT_TIMERS),
      ...(state.step === "queued" ? [{ type: "leave_hold_queue", lineId: cfg.lineId } as const] : []),
      ...releaseHeld(cfg, state.step === "queued" ? null : state.agent),
    ],
    result: { kind: "caller_left", at: e.at, cause: e.cause },
  };
}

const isCurrentAgent = (state: ConnectState, e: { leg: LegId; role: string }): boolean =>
  !!state.agent &&
  e.role === agentRole(state.agent.id) &&
  (state.agent.leg === null || state.agent.leg === e.leg);

/** An agent reserved or offered that this call does not want (already has one, or not looking). */
export function releaseUnwanted(
  cfg: Pick<ConnectConfig, "lineId">,
  heldAgentId: string | null,
  e: EngineEvent,
): EngineCommand[] {
  if (e.type !== "agent_reserved" && e.type !== "agent_offered") return [];
  return e.agentId === heldAgentId ? [] : [{ type: "release_agent", lineId: cfg.lineId, agentId: e.agentId }];
}

/** Feeds one event; events this machine does not expect change nothing (they come late or twice). */
export function stepConnect(
  cfg: ConnectConfig,
  state: ConnectState,
  e: EngineEvent,
  ctx: ConnectCtx,
): ConnectStep {
  const none: ConnectStep = { state, commands: [] };
  if (e.type === "leg_hung_up" && e.leg === state.caller) return callerLeft(cfg, state, e);
  switch (state.step) {
    case "reserving":
      if (e.type === "agent_reserved") return dial(cfg, state, e, ctx);
      if (e.type === "no_agent_available") return noneFree(cfg, state, ctx);
      break;
    case "queued":
      if (e.type === "agent_offered") return dial(cfg, state, e, ctx);
      if (e.type === "timer_fired" && e.name === "queue_timeout") return queueTimedOut(cfg, state);
      if (
        e.type === "speak_ended" &&
        e.leg === state.caller &&
        ctx.speechDrained &&
        cfg.queue?.holdMusicUrl &&
        state.queue &&
        !state.queue.music
      )
        return {
          state: { ...state, queue: { ...state.queue, music: true } },
          commands: [{ type: "play", leg: state.caller, audioUrl: cfg.queue.holdMusicUrl, loop: true }],
        };
      break;
    case "ringing":
      if (e.type === "leg_dialled" && isCurrentAgent(state, e) && state.agent)
        return { state: { ...state, agent: { ...state.agent, leg: e.leg } }, commands: [] };
      if (e.type === "leg_answered" && isCurrentAgent(state, e) && state.agent) {
        const next = { ...state, agent: { ...state.agent, leg: e.leg, answeredAt: e.at } };
        // Webhooks may arrive out of order: if the bridge is already reported, do not bridge again.
        // The caller's leg parks when the agent leaves the bridge (Telnyx hangs it up otherwise), so
        // a secure payment can move the agent into a private queue mid-call and bring them back.
        const bridge: EngineCommand[] =
          state.bridgedAt === null
            ? [{ type: "bridge", leg: state.caller, other: e.leg, parkAfterUnbridge: "self" }]
            : [];
        return maybeConnected(cfg, next, bridge);
      }
      if (e.type === "legs_bridged" && (e.leg === state.caller || isCurrentAgent(state, e)))
        return state.bridgedAt === null ? maybeConnected(cfg, { ...state, bridgedAt: e.at }, []) : none;
      if (e.type === "leg_hung_up" && isCurrentAgent(state, e)) return missed(cfg, state, false);
      if (e.type === "timer_fired" && e.name === "ring_timeout") return missed(cfg, state, true);
      break;
  }
  const release = releaseUnwanted(cfg, state.agent?.id ?? null, e);
  return release.length ? { state, commands: release } : none;
}

/** A parent flow's state while it reaches an agent through this machine. */
export interface Reaching {
  connect: ConnectState | null;
  phase: string;
  /** Prompts still playing to the caller (hold music waits for them). */
  speaking: number;
}

const PHASE_OF_STEP = { reserving: "reserving", ringing: "connecting", queued: "queued" } as const;

/**
 * One step of the machine inside a parent flow: the parent's state with the machine's, and the
 * step's result for the parent to act on. Events that are not the machine's are ignored by it.
 */
export function stepReaching<S extends Reaching>(
  cfg: ConnectConfig,
  state: S & { connect: ConnectState },
  event: EngineEvent,
  now: number,
): { next: S; step: ConnectStep } {
  const step = stepConnect(cfg, state.connect, event, { now, speechDrained: state.speaking === 0 });
  return { next: { ...state, connect: step.state, phase: PHASE_OF_STEP[step.state.step] }, step };
}

/** Stops reaching an agent (a pre-talk limit): nothing may stay ringing, reserved, queued or playing. */
export function abandonReaching(cfg: Pick<ConnectConfig, "lineId">, held: ConnectState): EngineCommand[] {
  return [
    ...clearTimers(...CONNECT_TIMERS),
    ...hangupLegs(held.step === "ringing" ? held.agent?.leg : null),
    ...(held.step === "queued" ? [{ type: "leave_hold_queue", lineId: cfg.lineId } as const] : []),
    ...(held.queue?.music ? [{ type: "stop_playback", leg: held.caller } as const] : []),
    ...releaseHeld(cfg, held.step === "queued" ? null : held.agent),
  ];
}
