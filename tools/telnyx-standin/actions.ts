/**
 * Call Control commands on an existing leg, and dial. Each prepare* function checks what Telnyx
 * checks before answering (leg alive, answered when audio is involved, the bridge target) and
 * throws a TelnyxError, or returns the effect to run just after the HTTP answer — Telnyx answers
 * the command first and reports what happened through webhooks.
 */
import {
  createOutgoingLeg,
  type AgentDirectory,
  type DialSpec,
  ringToward,
  startRinging,
  transferLeg,
} from "./dialing";
import { beginGather, createGather, endGather } from "./gather";
import { beginVoiceGather, createVoiceGather } from "./voice-gather";
import { type Leg, isAlive } from "./leg";
import { enqueueMedia, stopPlayback } from "./media";
import { checkCanEnqueue, joinQueue, leaveQueue } from "./queues";
import { pauseRecording, startRecording, stopRecording } from "./recording";
import type { Switchboard } from "./switchboard";
import { telnyxErrors } from "./telnyx-errors";

export type Effect = () => void;
export type ActionContext = { sb: Switchboard; agents: AgentDirectory };
type Body = Record<string, unknown>;

const NEEDS_ANSWER = new Set([
  "speak",
  "gather_using_speak",
  "gather",
  "gather_stop",
  "gather_using_ai",
  "playback_start",
  "playback_stop",
  "enqueue",
  "leave_queue",
  "record_start",
  "record_pause",
  "record_resume",
  "record_stop",
]);

const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);

function speakTargets(leg: Leg, targetLegs: unknown): Leg[] {
  const partner = leg.partner ? [leg.partner] : [];
  if (targetLegs === "opposite") return partner;
  if (targetLegs === "both") return [leg, ...partner];
  return [leg];
}

export function prepareAction(ctx: ActionContext, action: string, leg: Leg, body: Body): Effect {
  const { sb } = ctx;
  if (!isAlive(leg)) throw telnyxErrors.callEnded();
  if (NEEDS_ANSWER.has(action) && leg.state !== "answered") throw telnyxErrors.notAnswered();
  switch (action) {
    case "answer":
      return () => sb.answer(leg);
    case "speak": {
      const text = String(body.payload);
      return () =>
        enqueueMedia(sb, leg, { kind: "speak", text, targets: speakTargets(leg, body.target_legs) });
    }
    case "gather_using_speak":
    case "gather": {
      const gather = createGather(body, action === "gather_using_speak");
      return () => beginGather(sb, leg, gather);
    }
    case "gather_stop":
      return () => endGather(sb, leg, "cancelled");
    case "gather_using_ai": {
      const voice = createVoiceGather(body);
      return () => beginVoiceGather(sb, leg, voice);
    }
    case "playback_start": {
      const loops = body.loop === "infinity" ? Infinity : Math.max(1, Number(body.loop ?? 1) || 1);
      const mediaName = str(body.media_name);
      const url = str(body.audio_url) ?? (mediaName ? `media:${mediaName}` : "inline-audio");
      return () =>
        enqueueMedia(sb, leg, { kind: "playback", url, loops, ...(mediaName ? { mediaName } : {}) });
    }
    case "playback_stop":
      return () => stopPlayback(sb, leg);
    case "transfer":
      return prepareTransfer(ctx, leg, body);
    case "bridge":
      return prepareBridge(sb, leg, body);
    case "enqueue": {
      const name = String(body.queue_name);
      checkCanEnqueue(sb, leg, name, num(body.max_size, 100));
      return () => joinQueue(sb, leg, name);
    }
    case "leave_queue":
      return () => leaveQueue(sb, leg, "leave");
    case "record_start":
      return () => startRecording(sb, leg, body);
    case "record_pause":
    case "record_resume":
      return () => pauseRecording(leg, action === "record_pause");
    case "record_stop":
      return () => stopRecording(sb, leg);
    case "hangup":
      return () =>
        sb.hangup(
          leg,
          leg.state === "ringing" ? "originator_cancel" : "normal_clearing",
          // The app is the callee of an incoming leg and the caller of one it dialled.
          leg.direction === "incoming" ? "callee" : "caller",
        );
    default:
      throw telnyxErrors.notFound(action);
  }
}

function prepareBridge(sb: Switchboard, leg: Leg, body: Body): Effect {
  const other = sb.legs.get(String(body.call_control_id));
  if (!other || other === leg) throw telnyxErrors.invalidCallControlId();
  if (!isAlive(other)) throw telnyxErrors.callEnded();
  const park = str(body.park_after_unbridge);
  // mute_dtmf: "self" is the leg the command was sent on, "opposite" the one it names.
  const mute = str(body.mute_dtmf) ?? "none";
  return () => {
    if (!isAlive(leg) || !isAlive(other)) return;
    if (park) leg.parkAfterUnbridge = park;
    sb.bridge(leg, other);
    leg.dtmfMuted = mute === "both" || mute === "self";
    other.dtmfMuted = mute === "both" || mute === "opposite";
  };
}

function prepareTransfer(ctx: ActionContext, leg: Leg, body: Body): Effect {
  const park = str(body.park_after_unbridge);
  const targetState = str(body.target_leg_client_state);
  const spec: DialSpec = {
    from: str(body.from) ?? leg.from,
    to: String(body.to),
    connectionId: leg.connectionId,
    sessionId: leg.sessionId,
    ...(targetState ? { clientState: targetState } : {}),
    timeoutSecs: num(body.timeout_secs, 30),
    timeLimitSecs: num(body.time_limit_secs, 14400),
  };
  return () => {
    if (!isAlive(leg)) return;
    if (park) leg.parkAfterUnbridge = park;
    const target = createOutgoingLeg(ctx.sb, spec);
    transferLeg(ctx.sb, leg, target, ctx.agents.get(spec.to), spec);
  };
}

/** POST /v2/calls: the leg exists at once (its ids are in the answer); ringing starts after. */
export function prepareDial(ctx: ActionContext, body: Body): { leg: Leg; effect: Effect } {
  const linkTo = str(body.link_to);
  const linked = linkTo ? ctx.sb.legs.get(linkTo) : undefined;
  if (linkTo && !linked) throw telnyxErrors.invalidCallControlId("/link_to");
  const to = Array.isArray(body.to) ? String(body.to[0]) : String(body.to);
  const clientState = str(body.client_state);
  const park = str(body.park_after_unbridge);
  const spec: DialSpec = {
    from: String(body.from),
    to,
    connectionId: String(body.connection_id),
    ...(linked ? { sessionId: linked.sessionId } : {}),
    ...(clientState ? { clientState } : {}),
    ...(park ? { parkAfterUnbridge: park } : {}),
    timeoutSecs: num(body.timeout_secs, 30),
    timeLimitSecs: num(body.time_limit_secs, 14400),
  };
  const leg = createOutgoingLeg(ctx.sb, spec);
  const effect = (): void => {
    if (linked && body.bridge_on_answer === true && isAlive(linked)) ringToward(ctx.sb, leg, linked);
    startRinging(ctx.sb, leg, ctx.agents.get(to), spec);
  };
  return { leg, effect };
}
