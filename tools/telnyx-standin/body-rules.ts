/**
 * What each Call Control command body must look like, taken from Telnyx's OpenAPI spec (required
 * fields, types, enums, ranges) for the fields the stand-in acts on; unknown fields are ignored
 * as Telnyx ignores them. validateBody throws a Telnyx-shaped 422; it never executes anything.
 */
import { telnyxErrors } from "./telnyx-errors";

export type FieldRule =
  | "string"
  | "integer"
  | "boolean"
  | "string|integer"
  | "string|string[]"
  | { enum: readonly string[] }
  | { min: number; max: number };

export type BodyRule = { required: readonly string[]; fields: Record<string, FieldRule> };

const common: Record<string, FieldRule> = { client_state: "string", command_id: "string" };
const parkAfter: Record<string, FieldRule> = { park_after_unbridge: "string" };
const speech: Record<string, FieldRule> = {
  payload: "string",
  voice: "string",
  payload_type: { enum: ["text", "ssml"] },
  service_level: { enum: ["basic", "premium"] },
};
const digits: Record<string, FieldRule> = {
  minimum_digits: "integer",
  maximum_digits: "integer",
  terminating_digit: "string",
  valid_digits: "string",
  timeout_millis: "integer",
  inter_digit_timeout_millis: "integer",
};
const recordingId: Record<string, FieldRule> = { ...common, recording_id: "string" };

export const BODY_RULES: Record<string, BodyRule> = {
  answer: { required: [], fields: { ...common } },
  speak: {
    required: ["payload", "voice"],
    fields: { ...common, ...speech, target_legs: { enum: ["self", "opposite", "both"] }, stop: "string" },
  },
  gather_using_speak: {
    required: ["voice", "payload"],
    fields: { ...common, ...speech, ...digits, maximum_tries: "integer", invalid_payload: "string" },
  },
  gather_stop: { required: [], fields: { ...common } },
  gather_using_ai: {
    required: ["parameters"],
    fields: {
      ...common,
      greeting: "string",
      voice: "string",
      user_response_timeout_ms: "integer",
      gather_ended_speech: "string",
    },
  },
  gather: {
    required: [],
    fields: { ...common, ...digits, initial_timeout_millis: "integer", gather_id: "string" },
  },
  playback_start: {
    required: [],
    fields: {
      ...common,
      audio_url: "string",
      media_name: "string",
      playback_content: "string",
      audio_type: { enum: ["mp3", "wav"] },
      loop: "string|integer",
      overlay: "boolean",
      target_legs: "string",
    },
  },
  playback_stop: { required: [], fields: { ...common, stop: "string", overlay: "boolean" } },
  transfer: {
    required: ["to"],
    fields: {
      ...common,
      ...parkAfter,
      to: "string",
      from: "string",
      timeout_secs: "integer",
      time_limit_secs: { min: 30, max: 14400 },
      target_leg_client_state: "string",
    },
  },
  bridge: {
    required: ["call_control_id"],
    fields: {
      ...common,
      ...parkAfter,
      call_control_id: "string",
      play_ringtone: "boolean",
      queue: "string",
      mute_dtmf: { enum: ["none", "both", "self", "opposite"] },
    },
  },
  enqueue: {
    required: ["queue_name"],
    fields: {
      ...common,
      queue_name: "string",
      max_size: "integer",
      max_wait_time_secs: "integer",
      keep_after_hangup: "boolean",
    },
  },
  leave_queue: { required: [], fields: { ...common } },
  record_start: {
    required: ["format", "channels"],
    fields: {
      ...common,
      format: { enum: ["wav", "mp3"] },
      channels: { enum: ["single", "dual"] },
      max_length: "integer",
      play_beep: "boolean",
      timeout_secs: "integer",
      recording_track: { enum: ["both", "inbound", "outbound"] },
    },
  },
  record_pause: { required: [], fields: recordingId },
  record_resume: { required: [], fields: recordingId },
  record_stop: { required: [], fields: recordingId },
  hangup: { required: [], fields: { ...common } },
  dial: {
    required: ["connection_id", "to", "from"],
    fields: {
      ...common,
      ...parkAfter,
      connection_id: "string",
      to: "string|string[]",
      from: "string",
      link_to: "string",
      bridge_on_answer: "boolean",
      timeout_secs: "integer",
      time_limit_secs: { min: 30, max: 14400 },
    },
  },
};

const isInt = (v: unknown): boolean => typeof v === "number" && Number.isInteger(v);
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function typeOk(rule: Exclude<FieldRule, object>, v: unknown): boolean {
  switch (rule) {
    case "string":
      return typeof v === "string";
    case "integer":
      return isInt(v);
    case "boolean":
      return typeof v === "boolean";
    case "string|integer":
      return typeof v === "string" || isInt(v);
    case "string|string[]":
      return (
        typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string"))
      );
  }
}

function checkField(name: string, rule: FieldRule, v: unknown): void {
  if (typeof rule === "string") {
    if (!typeOk(rule, v)) throw telnyxErrors.invalidType(name, rule.replace("|", " or "));
  } else if ("enum" in rule) {
    if (typeof v !== "string" || !rule.enum.includes(v)) throw telnyxErrors.invalidEnum(name, rule.enum);
  } else if (typeof v !== "number" || !Number.isInteger(v)) {
    throw telnyxErrors.invalidType(name, "integer");
  } else if (v < rule.min || v > rule.max) {
    throw telnyxErrors.outOfRange(name, rule.min, rule.max);
  }
}

/** Checks a parsed JSON body against the action's rule; null counts as absent (Telnyx treats it so). */
export function validateBody(action: string, body: unknown): Record<string, unknown> {
  const rule = BODY_RULES[action];
  if (!rule) throw telnyxErrors.notFound(action);
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw telnyxErrors.invalidType("body", "a JSON object");
  }
  const b: Record<string, unknown> = Object.fromEntries(
    Object.entries(body as Record<string, unknown>).filter(([, v]) => v !== null),
  );
  for (const name of rule.required) {
    if (b[name] === undefined || b[name] === "") throw telnyxErrors.missing(name);
  }
  for (const [name, fieldRule] of Object.entries(rule.fields)) {
    if (b[name] !== undefined) checkField(name, fieldRule, b[name]);
  }
  for (const name of ["client_state", "target_leg_client_state"]) {
    const v = b[name];
    if (typeof v === "string" && !BASE64.test(v)) throw telnyxErrors.invalidType(name, "base64-encoded");
  }
  if (action === "playback_start" && !b.audio_url && !b.media_name && !b.playback_content) {
    throw telnyxErrors.missing("audio_url");
  }
  if (
    isInt(b.minimum_digits) &&
    isInt(b.maximum_digits) &&
    Number(b.minimum_digits) > Number(b.maximum_digits)
  ) {
    throw telnyxErrors.outOfRange("minimum_digits", 1, Number(b.maximum_digits));
  }
  return b;
}
