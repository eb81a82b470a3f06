/**
 * Maps our Telnyx-bound commands to Call Control v2 requests (path + JSON body). Pure: no I/O.
 * Field names follow Telnyx's published OpenAPI spec (test/node/telnyx-spec.test.ts checks every
 * variant against it). Does not decide ids or client_state: the shell passes them in.
 */
import type { Command } from "../ivr/types";

export type TelnyxCommandType =
  | "answer"
  | "speak"
  | "gather"
  | "play"
  | "stop_playback"
  | "dial"
  | "bridge"
  | "transfer"
  | "record_start"
  | "record_stop"
  | "record_pause"
  | "record_resume"
  | "hangup";

export type TelnyxCommand = Extract<Command, { type: TelnyxCommandType }>;

const TELNYX_COMMAND_TYPES: ReadonlySet<string> = new Set<TelnyxCommandType>([
  "answer",
  "speak",
  "gather",
  "play",
  "stop_playback",
  "dial",
  "bridge",
  "transfer",
  "record_start",
  "record_stop",
  "record_pause",
  "record_resume",
  "hangup",
]);

export function isTelnyxCommand(cmd: Command): cmd is TelnyxCommand {
  return TELNYX_COMMAND_TYPES.has(cmd.type);
}

export interface TelnyxRequestOptions {
  /** Deterministic `<session>:<version>:<index>`: Telnyx drops a repeat on the same leg (~60 s). */
  commandId: string;
  /** Base64 client_state for the leg the command acts on (for dial: the new leg). */
  clientState: string;
  /** The line's voice: "female" / "male" or `<Provider>.<Model>.<VoiceId>`. */
  voice: string;
  /** Call Control application (connection) id; required by dial. */
  connectionId?: string;
  /** client_state for the new leg a transfer creates (Telnyx `target_leg_client_state`). */
  targetClientState?: string;
}

export interface TelnyxRequest {
  /** Includes the /v2 prefix, e.g. /v2/calls/{call_control_id}/actions/speak. */
  path: string;
  body: Record<string, unknown>;
}

const action = (leg: string, name: string): string => `/v2/calls/${encodeURIComponent(leg)}/actions/${name}`;

/** Telnyx only accepts a bare gender with service_level "basic" (premium wants a named voice). */
function voiceFields(voice: string): Record<string, unknown> {
  return voice === "female" || voice === "male" ? { voice, service_level: "basic" } : { voice };
}

export function toTelnyxRequest(cmd: TelnyxCommand, opts: TelnyxRequestOptions): TelnyxRequest {
  const ids = { command_id: opts.commandId, client_state: opts.clientState };
  switch (cmd.type) {
    case "answer":
      return { path: action(cmd.leg, "answer"), body: { ...ids } };
    case "speak":
      return {
        path: action(cmd.leg, "speak"),
        body: {
          ...ids,
          payload: cmd.text,
          payload_type: "text",
          ...voiceFields(opts.voice),
          ...(cmd.targetLegs ? { target_legs: cmd.targetLegs } : {}),
        },
      };
    case "gather":
      return {
        path: action(cmd.leg, "gather_using_speak"),
        body: {
          ...ids,
          payload: cmd.prompt,
          payload_type: "text",
          ...voiceFields(opts.voice),
          minimum_digits: cmd.minDigits,
          maximum_digits: cmd.maxDigits,
          // Telnyx defaults terminating_digit to "#" when omitted.
          ...(cmd.terminator ? { terminating_digit: cmd.terminator } : {}),
          ...(cmd.validDigits ? { valid_digits: cmd.validDigits } : {}),
          timeout_millis: cmd.timeoutMs,
          ...(cmd.interDigitTimeoutMs !== undefined
            ? { inter_digit_timeout_millis: cmd.interDigitTimeoutMs }
            : {}),
          // Our flow machines own retries and re-prompts; Telnyx's default (3) would replay silently.
          maximum_tries: 1,
        },
      };
    case "play":
      return {
        path: action(cmd.leg, "playback_start"),
        body: { ...ids, audio_url: cmd.audioUrl, loop: cmd.loop ? "infinity" : 1 },
      };
    case "stop_playback":
      return { path: action(cmd.leg, "playback_stop"), body: { ...ids } };
    case "dial":
      return dialRequest(cmd, opts);
    case "bridge":
      return {
        path: action(cmd.leg, "bridge"),
        body: {
          ...ids,
          call_control_id: cmd.other,
          ...(cmd.parkAfterUnbridge ? { park_after_unbridge: cmd.parkAfterUnbridge } : {}),
        },
      };
    case "transfer":
      return {
        path: action(cmd.leg, "transfer"),
        body: {
          ...ids,
          to: cmd.to,
          from: cmd.from,
          timeout_secs: cmd.timeoutSecs,
          ...(opts.targetClientState ? { target_leg_client_state: opts.targetClientState } : {}),
        },
      };
    case "record_start":
      return {
        path: action(cmd.leg, "record_start"),
        body: {
          ...ids,
          format: "mp3",
          channels: "single",
          max_length: cmd.maxLengthSecs,
          play_beep: cmd.playBeep,
        },
      };
    case "record_stop":
      return { path: action(cmd.leg, "record_stop"), body: { ...ids } };
    case "record_pause":
      return { path: action(cmd.leg, "record_pause"), body: { ...ids } };
    case "record_resume":
      return { path: action(cmd.leg, "record_resume"), body: { ...ids } };
    case "hangup":
      return { path: action(cmd.leg, "hangup"), body: { ...ids } };
  }
}

function dialRequest(
  cmd: Extract<TelnyxCommand, { type: "dial" }>,
  opts: TelnyxRequestOptions,
): TelnyxRequest {
  if (!opts.connectionId) throw new Error("toTelnyxRequest: dial needs a connectionId");
  return {
    path: "/v2/calls",
    body: {
      command_id: opts.commandId,
      client_state: opts.clientState,
      connection_id: opts.connectionId,
      to: cmd.to,
      from: cmd.from,
      // Keeps the new leg in the caller's call_session_id, so its webhooks reach the same object.
      link_to: cmd.linkTo,
      timeout_secs: cmd.timeoutSecs,
      ...(cmd.timeLimitSecs !== undefined ? { time_limit_secs: clampTimeLimit(cmd.timeLimitSecs) } : {}),
    },
  };
}

/** Telnyx rejects time_limit_secs outside 30–14400; it is only a backstop, so clamp rather than fail. */
const clampTimeLimit = (secs: number): number => Math.min(14_400, Math.max(30, Math.ceil(secs)));
