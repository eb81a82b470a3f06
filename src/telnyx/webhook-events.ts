/**
 * Validates a Telnyx Call Control webhook (zod, unknown fields kept) and maps it to our events.
 * Owns every Telnyx event name and payload field; callers see only our vocabulary. Pure: it does
 * not dedupe (data.id is returned as eventId for the Durable Object to do that) nor verify
 * signatures. call.cost is not a call event: it comes after the end and goes straight to a record.
 */
import { z } from "zod";
import {
  legId,
  type EngineEvent,
  type GatherStatus,
  type HangupCause,
  type HangupSource,
  type LegRole,
} from "../ivr/types";
import { readClientState } from "./client-state";

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
  digit: str,
  status: str,
  hangup_cause: str,
  hangup_source: str,
  queue: str,
  recording_urls: urls,
  public_recording_urls: urls,
  recording_started_at: str,
  recording_ended_at: str,
  total_cost: str,
  billed_duration_secs: z.number().nullish(),
  cost_parts: z.array(z.looseObject({ currency: str, cost: str })).nullish(),
  /** call.ai_gather.ended: the fields gathered (we ask for one). Its message_history is never read. */
  result: z.record(z.string(), z.unknown()).nullish(),
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

/** Telnyx's own cost of one leg (call_cost_in_webhooks), in micro-units of its currency. */
export interface LegCost {
  sessionId: string;
  legId: string;
  totalMicros: number;
  currency: string;
  billedSec: number | null;
  at: number;
}

export type MappedWebhook =
  | { kind: "event"; eventId: string; sessionId: string; event: EngineEvent; warnings: string[] }
  | { kind: "cost"; eventId: string; cost: LegCost }
  | { kind: "ignored"; eventType: string; reason: string }
  | { kind: "invalid"; issues: string[] };

/** Event types we map; any other Call Control event is acknowledged and ignored. */
export const HANDLED_EVENT_TYPES = [
  "call.initiated",
  "call.answered",
  "call.speak.ended",
  "call.playback.ended",
  "call.gather.ended",
  "call.ai_gather.ended",
  "call.dtmf.received",
  "call.bridged",
  "call.hangup",
  "call.recording.saved",
  "call.enqueued",
  "call.dequeued",
  "call.cost",
] as const;

type Mapped = EngineEvent | { ignored: string } | { invalid: string };

interface Leg {
  payload: TelnyxPayload;
  at: number;
  role: LegRole | null;
}

/** A role we cannot read is reported and kept apart, never silently taken for the caller. */
const UNRECOGNISED_ROLE: LegRole = "unknown:client_state";

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
  const clientState = readClientState(payload.client_state);
  const state = typeof clientState === "string" ? null : clientState;
  const sessionId = payload.call_session_id || state?.s;
  if (!sessionId)
    return { kind: "invalid", issues: ["payload: no call_session_id and no client_state session"] };
  const at = Date.parse(occurredAt);
  if (eventType === "call.cost") return mapCost(id, sessionId, payload, at);

  const warnings = clientState === "unrecognised" ? ["client_state is not ours: leg role unrecognised"] : [];
  const role = state?.r ?? (clientState === "unrecognised" ? UNRECOGNISED_ROLE : null);
  const mapped = mapEvent(eventType, { payload, at, role });
  if ("ignored" in mapped) return { kind: "ignored", eventType, reason: mapped.ignored };
  if ("invalid" in mapped) return { kind: "invalid", issues: [mapped.invalid] };
  return { kind: "event", eventId: id, sessionId, event: mapped, warnings };
}

function mapEvent(eventType: string, leg: Leg): Mapped {
  const { payload: p, at } = leg;
  // recording.saved carries no call_control_id in the spec; fall back to the leg id.
  const rawLeg = p.call_control_id || (eventType === "call.recording.saved" ? p.call_leg_id : null);
  if (!rawLeg) return { invalid: "payload.call_control_id: missing" };
  const id = legId(rawLeg);
  // Legs we dial always carry our client_state (it is sticky), so a leg without any is the
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
    case "call.ai_gather.ended": {
      if (!p.status) return { invalid: "payload.status: missing" };
      // We ask for one field; its value is the answer (a number or a word as text).
      const value = Object.values(p.result ?? {}).find((v) => typeof v === "string" || typeof v === "number");
      const answer = value === undefined ? null : String(value).trim().slice(0, 500) || null;
      return {
        type: "voice_answered",
        leg: id,
        status: p.status === "valid" && answer ? "valid" : "invalid",
        answer,
        at,
      };
    }
    case "call.dtmf.received":
      if (!p.digit) return { invalid: "payload.digit: missing" };
      return { type: "dtmf_received", leg: id, digit: p.digit, at };
    case "call.bridged":
      return { type: "legs_bridged", leg: id, role, at };
    case "call.hangup":
      return {
        type: "leg_hung_up",
        leg: id,
        role,
        cause: toHangupCause(p.hangup_cause),
        source: toHangupSource(p.hangup_source),
        at,
      };
    case "call.recording.saved":
      return mapRecordingSaved(p, id, at);
    case "call.enqueued":
      return { type: "leg_enqueued", leg: id, queue: p.queue ?? "", at };
    case "call.dequeued":
      return { type: "leg_dequeued", leg: id, queue: p.queue ?? "", at };
    default:
      return { ignored: "event type not used" };
  }
}

function mapInitiated({ payload: p, at, role }: Leg, leg: ReturnType<typeof legId>): Mapped {
  if (p.direction === "incoming") {
    if (!p.from || !p.to) return { invalid: "payload.from/to: missing on an incoming call" };
    // Legs we dial go out on the same Call Control application the caller came in on.
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
    if (!role || role === UNRECOGNISED_ROLE) return { ignored: "outgoing leg without our client_state" };
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

/** "0.0106" → 10600 micro-units, exactly (string arithmetic; Telnyx sends up to 6 decimals). */
export function decimalToMicros(value: string): number | null {
  const m = /^(-?)(\d+)(?:\.(\d{1,6}))?$/.exec(value.trim());
  if (!m) return null;
  const micros = Number(m[2]) * 1_000_000 + Number((m[3] ?? "").padEnd(6, "0"));
  return m[1] === "-" ? -micros : micros;
}

function mapCost(eventId: string, sessionId: string, p: TelnyxPayload, at: number): MappedWebhook {
  const leg = p.call_leg_id || p.call_control_id;
  const total = p.total_cost ? decimalToMicros(p.total_cost) : null;
  if (!leg || total === null)
    return { kind: "ignored", eventType: "call.cost", reason: "no leg or no total_cost" };
  const currency = (p.cost_parts?.find((c) => c.currency)?.currency ?? "USD").toUpperCase();
  return {
    kind: "cost",
    eventId,
    cost: {
      sessionId,
      legId: leg,
      totalMicros: total,
      currency,
      billedSec: p.billed_duration_secs ?? null,
      at,
    },
  };
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
  "not_found",
  "unspecified",
]);

const toHangupCause = (cause: string | null | undefined): HangupCause =>
  cause && HANGUP_CAUSES.has(cause) ? (cause as HangupCause) : "unspecified";

const toHangupSource = (source: string | null | undefined): HangupSource =>
  source === "caller" || source === "callee" ? source : "unknown";
