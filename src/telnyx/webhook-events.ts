/**
 * Validates a Telnyx Call Control webhook (zod, unknown fields kept) and maps it to our CallEvent.
 * Owns every Telnyx event name and payload field; callers see only our vocabulary. Pure: it does
 * not dedupe (data.id is returned as eventId for the Durable Object to do that) nor verify signatures.
 */
import { z } from "zod";
import type { CallEvent, GatherStatus, HangupCause, LegRole } from "../ivr/types";
import { legId } from "../ivr/types";
import { decodeClientState } from "./client-state";

// Telnyx sends null for absent values in places; treat null like missing.
const str = z.string().nullish();
const urls = z.looseObject({ mp3: str, wav: str }).nullish();

export const telnyxPayloadSchema = z.looseObject({
  call_control_id: str,
  call_leg_id: str,
  call_session_id: str,
  client_state: str,
  connection_id: str,
  from: str,
  to: str,
  direction: str,
  digits: str,
  status: str,
  hangup_cause: str,
  hangup_source: str,
  recording_urls: urls,
  public_recording_urls: urls,
  recording_started_at: str,
  recording_ended_at: str,
});

export const telnyxWebhookSchema = z.looseObject({
  data: z.looseObject({
    event_type: z.string().min(1),
    id: z.string().min(1),
    occurred_at: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date-time"),
    payload: telnyxPayloadSchema,
  }),
});

export type TelnyxPayload = z.infer<typeof telnyxPayloadSchema>;

export type MappedWebhook =
  | { kind: "event"; eventId: string; sessionId: string; event: CallEvent }
  | { kind: "ignored"; eventType: string; reason: string }
  | { kind: "invalid"; issues: string[] };

/** Event types we map; any other Call Control event is acknowledged and ignored. */
export const HANDLED_EVENT_TYPES = [
  "call.initiated",
  "call.answered",
  "call.speak.ended",
  "call.playback.ended",
  "call.gather.ended",
  "call.bridged",
  "call.hangup",
  "call.recording.saved",
] as const;

type Mapped = CallEvent | { ignored: string } | { invalid: string };

interface Leg {
  payload: TelnyxPayload;
  at: number;
  role: LegRole | null;
}

export function mapTelnyxWebhook(body: unknown): MappedWebhook {
  const parsed = telnyxWebhookSchema.safeParse(body);
  if (!parsed.success) {
    return {
      kind: "invalid",
      issues: parsed.error.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`),
    };
  }
  const { event_type: eventType, id, occurred_at: occurredAt, payload } = parsed.data.data;
  if (!(HANDLED_EVENT_TYPES as readonly string[]).includes(eventType)) {
    return { kind: "ignored", eventType, reason: "event type not used" };
  }
  const clientState = decodeClientState(payload.client_state);
  const sessionId = payload.call_session_id || clientState?.s;
  if (!sessionId)
    return { kind: "invalid", issues: ["payload: no call_session_id and no client_state session"] };

  const mapped = mapEvent(eventType, { payload, at: Date.parse(occurredAt), role: clientState?.r ?? null });
  if ("ignored" in mapped) return { kind: "ignored", eventType, reason: mapped.ignored };
  if ("invalid" in mapped) return { kind: "invalid", issues: [mapped.invalid] };
  return { kind: "event", eventId: id, sessionId, event: mapped };
}

function mapEvent(eventType: string, leg: Leg): Mapped {
  const { payload: p, at } = leg;
  // recording.saved carries no call_control_id in the spec; fall back to the leg id.
  const rawLeg = p.call_control_id || (eventType === "call.recording.saved" ? p.call_leg_id : null);
  if (!rawLeg) return { invalid: "payload.call_control_id: missing" };
  const id = legId(rawLeg);
  // Legs we dial always carry our client_state (it is sticky), so a leg without one is the
  // inbound caller, e.g. hanging up before we answered.
  const role = leg.role ?? "caller";
  switch (eventType) {
    case "call.initiated":
      return mapInitiated(leg, id);
    case "call.answered":
      return { type: "leg_answered", leg: id, role, at };
    case "call.speak.ended":
      return { type: "speak_ended", leg: id, at };
    case "call.playback.ended":
      return { type: "playback_ended", leg: id, at };
    case "call.gather.ended":
      if (!p.status) return { invalid: "payload.status: missing" };
      return {
        type: "digits_gathered",
        leg: id,
        digits: p.digits ?? "",
        status: toGatherStatus(p.status),
        at,
      };
    case "call.bridged":
      return { type: "legs_bridged", leg: id, role, at };
    case "call.hangup":
      return { type: "leg_hung_up", leg: id, role, cause: toHangupCause(p.hangup_cause), at };
    case "call.recording.saved":
      return mapRecordingSaved(p, id, at);
    default:
      return { ignored: "event type not used" };
  }
}

function mapInitiated({ payload: p, at, role }: Leg, leg: ReturnType<typeof legId>): Mapped {
  if (p.direction === "incoming") {
    if (!p.from || !p.to) return { invalid: "payload.from/to: missing on an incoming call" };
    // Rep legs are dialled on the same Call Control application the caller came in on.
    return {
      type: "call_started",
      leg,
      from: p.from,
      to: p.to,
      at,
      ...(p.connection_id ? { connectionId: p.connection_id } : {}),
    };
  }
  if (p.direction === "outgoing") {
    if (!role) return { ignored: "outgoing leg without our client_state" };
    return { type: "leg_dialled", leg, role, at };
  }
  return { invalid: "payload.direction: expected incoming or outgoing" };
}

function mapRecordingSaved(p: TelnyxPayload, leg: ReturnType<typeof legId>, at: number): Mapped {
  const url =
    p.recording_urls?.mp3 ||
    p.public_recording_urls?.mp3 ||
    p.recording_urls?.wav ||
    p.public_recording_urls?.wav;
  if (!url) return { invalid: "payload.recording_urls: no mp3 or wav url" };
  const started = Date.parse(p.recording_started_at ?? "");
  const ended = Date.parse(p.recording_ended_at ?? "");
  const durationSec =
    Number.isNaN(started) || Number.isNaN(ended) ? 0 : Math.max(0, Math.round((ended - started) / 1000));
  return { type: "recording_saved", leg, url, durationSec, at };
}

const GATHER_STATUS: Record<string, GatherStatus> = {
  valid: "valid",
  invalid: "invalid",
  timeout: "timeout",
  cancelled: "cancelled",
  cancelled_amd: "cancelled",
  call_hangup: "hangup",
};

/** An unknown status still means the gather ended; "invalid" makes the flow re-prompt, the safe choice. */
const toGatherStatus = (status: string): GatherStatus => GATHER_STATUS[status] ?? "invalid";

const HANGUP_CAUSES: ReadonlySet<string> = new Set<HangupCause>([
  "normal_clearing",
  "originator_cancel",
  "timeout",
  "time_limit",
  "user_busy",
  "no_answer",
  "call_rejected",
  "unspecified",
]);

const toHangupCause = (cause: string | null | undefined): HangupCause =>
  cause && HANGUP_CAUSES.has(cause) ? (cause as HangupCause) : "unspecified";
