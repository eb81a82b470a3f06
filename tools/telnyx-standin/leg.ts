/**
 * One simulated call leg (what Telnyx names by call_control_id) and the Engine interface the verb
 * modules (media, gather, recording) use to act on legs. Holds state only; the switchboard decides.
 * client_state is sticky: once a command sets it, every later event of the leg carries it.
 */
import { randomBytes, randomUUID } from "node:crypto";
import type { HeardItem } from "./types";
import type { VoiceGatherState } from "./voice-gather";

export type LegState = "parked" | "ringing" | "answered" | "ended";

export type MediaItem =
  | { kind: "speak"; text: string; targets: Leg[] }
  | { kind: "playback"; url: string; mediaName?: string; loops: number }
  | { kind: "prompt" };

export type GatherState = {
  withPrompt: boolean;
  payload: string;
  invalidPayload: string;
  min: number;
  max: number;
  terminator: string;
  valid: string;
  firstDigitMs: number;
  interDigitMs: number;
  maxTries: number;
  tries: number;
  phase: "queued" | "prompting" | "collecting";
  digits: string;
  timer?: NodeJS.Timeout;
};

export type RecordingState = {
  id: string;
  format: string;
  channels: string;
  startedAt: string;
  paused: boolean;
};

export type Leg = {
  id: string;
  legId: string;
  sessionId: string;
  connectionId: string;
  from: string;
  to: string;
  direction: "incoming" | "outgoing";
  state: LegState;
  startTime: string;
  clientState?: string;
  partner?: Leg;
  parkAfterUnbridge?: string;
  /** The bridge's mute_dtmf keeps the partner's keys from this leg (both, or self/opposite for it). */
  dtmfMuted?: boolean;
  /** Leg to bridge with once this (dialled) leg answers: dial's link_to + bridge_on_answer, or transfer. */
  bridgeOnAnswer?: Leg;
  queue?: { name: string; since: number };
  heard: HeardItem[];
  listeners: Set<(item: HeardItem) => void>;
  timers: Set<NodeJS.Timeout>;
  media: { queue: MediaItem[]; current?: { item: MediaItem; timer?: NodeJS.Timeout } };
  gather?: GatherState;
  /** An open gather_using_ai (a voice question), waiting for the caller's spoken answer. */
  voiceGather?: VoiceGatherState;
  /** Keys pressed while no gather listened, kept briefly for a gather that starts right after. */
  keys: Array<{ digit: string; at: number }>;
  recording?: RecordingState;
  endedCause?: string;
  /** ISO time the leg ended (GET /v2/calls answers it as end_time). */
  endTime?: string;
  ended: Promise<{ cause: string }>;
  resolveEnded: (v: { cause: string }) => void;
};

/** What verb modules may do; implemented by the switchboard. */
export type Engine = {
  emit(leg: Leg, eventType: string, extra?: Record<string, unknown>): void;
  /** Runs fn after ms of simulated time, unless the leg ends first. */
  after(leg: Leg, ms: number, fn: () => void): NodeJS.Timeout;
  /** Like after, but survives the leg's end (e.g. a recording saved after hang-up). */
  later(ms: number, fn: () => void): void;
  cancel(leg: Leg, timer: NodeJS.Timeout | undefined): void;
  /** Real-time length of ms of simulated time. */
  scaledMs(ms: number): number;
  hear(leg: Leg, item: DistributiveOmit<HeardItem, "at">): void;
  baseUrl(): string;
};

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export function createLeg(init: {
  sessionId?: string;
  connectionId: string;
  from: string;
  to: string;
  direction: "incoming" | "outgoing";
  state: LegState;
  clientState?: string;
}): Leg {
  let resolveEnded: (v: { cause: string }) => void = () => undefined;
  const ended = new Promise<{ cause: string }>((r) => (resolveEnded = r));
  return {
    // Telnyx ids look like "v3:<opaque>"; callers must treat them as opaque strings.
    id: `v3:${randomBytes(24).toString("base64url")}`,
    legId: randomUUID(),
    sessionId: init.sessionId ?? randomUUID(),
    connectionId: init.connectionId,
    from: init.from,
    to: init.to,
    direction: init.direction,
    state: init.state,
    startTime: new Date().toISOString(),
    ...(init.clientState ? { clientState: init.clientState } : {}),
    heard: [],
    listeners: new Set(),
    timers: new Set(),
    media: { queue: [] },
    keys: [],
    ended,
    resolveEnded,
  };
}

/** Words a TTS voice says in `text` take about words / 2.5 seconds. */
export function speechMs(text: string): number {
  const words = text.trim().split(/\s+/).filter(Boolean).length;
  return Math.max(400, Math.round((words / 2.5) * 1000));
}

export const isAlive = (leg: Leg): boolean => leg.state !== "ended";
