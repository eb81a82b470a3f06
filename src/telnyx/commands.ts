/**
 * Maps our Telnyx-bound commands to Call Control v2 requests: the action, the leg and a body typed
 * by the official `telnyx` SDK's own parameter types (so a field Telnyx does not know is a compile
 * error), and checked field by field against Telnyx's published OpenAPI spec in the test suite.
 * Pure: no I/O. Does not decide ids or client_state: the shell passes them in.
 */
import type {
  ActionAnswerParams,
  ActionBridgeParams,
  ActionEnqueueParams,
  ActionGatherUsingAIParams,
  ActionGatherUsingSpeakParams,
  ActionHangupParams,
  ActionLeaveQueueParams,
  ActionPauseRecordingParams,
  ActionResumeRecordingParams,
  ActionSpeakParams,
  ActionStartPlaybackParams,
  ActionStartRecordingParams,
  ActionStopGatherParams,
  ActionStopPlaybackParams,
  ActionStopRecordingParams,
  ActionTransferParams,
} from "telnyx/resources/calls/actions";
import type { CallDialParams } from "telnyx/resources/calls/calls";
import type { EngineCommand } from "../ivr/types";

export const TELNYX_COMMAND_TYPES = [
  "answer",
  "speak",
  "gather",
  "stop_gather",
  "ask_by_voice",
  "play",
  "stop_playback",
  "dial",
  "bridge",
  "enqueue",
  "leave_queue",
  "transfer",
  "record_start",
  "record_stop",
  "record_pause",
  "record_resume",
  "hangup",
] as const;

export type TelnyxCommandType = (typeof TELNYX_COMMAND_TYPES)[number];
export type TelnyxCommand = Extract<EngineCommand, { type: TelnyxCommandType }>;

const TYPES: ReadonlySet<string> = new Set(TELNYX_COMMAND_TYPES);
export const isTelnyxCommand = (cmd: { type: string }): cmd is TelnyxCommand => TYPES.has(cmd.type);

/** The leg a command acts on (for dial: the leg it is linked to), which names its outbox lane. */
export const legOf = (cmd: TelnyxCommand): string => (cmd.type === "dial" ? cmd.linkTo : cmd.leg);

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

/** One Call Control request: the action's name as in its URL path, the leg, and its body. */
export type TelnyxRequest =
  | { action: "answer"; leg: string; body: ActionAnswerParams }
  | { action: "speak"; leg: string; body: ActionSpeakParams }
  | { action: "gather_using_speak"; leg: string; body: ActionGatherUsingSpeakParams }
  | { action: "gather_stop"; leg: string; body: ActionStopGatherParams }
  | { action: "gather_using_ai"; leg: string; body: ActionGatherUsingAIParams }
  | { action: "playback_start"; leg: string; body: ActionStartPlaybackParams }
  | { action: "playback_stop"; leg: string; body: ActionStopPlaybackParams }
  | { action: "bridge"; leg: string; body: ActionBridgeParams }
  | { action: "enqueue"; leg: string; body: ActionEnqueueParams }
  | { action: "leave_queue"; leg: string; body: ActionLeaveQueueParams }
  | { action: "transfer"; leg: string; body: ActionTransferParams }
  | { action: "record_start"; leg: string; body: ActionStartRecordingParams }
  | { action: "record_stop"; leg: string; body: ActionStopRecordingParams }
  | { action: "record_pause"; leg: string; body: ActionPauseRecordingParams }
  | { action: "record_resume"; leg: string; body: ActionResumeRecordingParams }
  | { action: "hangup"; leg: string; body: ActionHangupParams }
  | { action: "dial"; leg: null; body: CallDialParams };

/** The request's URL path under the API base, with the /v2 prefix (logs, errors, the spec test). */
export const pathOf = (req: TelnyxRequest): string =>
  req.action === "dial" ? "/v2/calls" : `/v2/calls/${encodeURIComponent(req.leg)}/actions/${req.action}`;

/**
 * The JSON Telnyx receives for a request: the SDK renames one parameter on the way out (bridge's
 * call_control_id_to_bridge_with is sent as call_control_id). Used by the spec check and fakes.
 */
export function wireBody(req: TelnyxRequest): Record<string, unknown> {
  if (req.action !== "bridge") return { ...req.body };
  const { call_control_id_to_bridge_with: other, ...rest } = req.body;
  return { call_control_id: other, ...rest };
}

/** Telnyx only accepts a bare gender with service_level "basic" (premium wants a named voice). */
function voiceFields(voice: string): { voice: string; service_level?: "basic" } {
  return voice === "female" || voice === "male" ? { voice, service_level: "basic" } : { voice };
}

export function toTelnyxRequest(cmd: TelnyxCommand, opts: TelnyxRequestOptions): TelnyxRequest {
  const ids = { command_id: opts.commandId, client_state: opts.clientState };
  switch (cmd.type) {
    case "answer":
      return { action: "answer", leg: cmd.leg, body: { ...ids } };
    case "speak":
      return {
        action: "speak",
        leg: cmd.leg,
        body: {
          ...ids,
          payload: cmd.text,
          payload_type: "text",
          ...voiceFields(opts.voice),
          ...(cmd.targetLegs ? { target_legs: cmd.targetLegs } : {}),
        },
      };
    case "ask_by_voice":
      return {
        action: "gather_using_ai",
        leg: cmd.leg,
        body: {
          ...ids,
          greeting: cmd.prompt,
          // One field, a string: the voice assistant asks until it has it or the caller stays silent.
          parameters: {
            type: "object",
            properties: { [cmd.field]: { type: "string", description: cmd.prompt } },
            required: [cmd.field],
          },
          user_response_timeout_ms: cmd.timeoutMs,
          ...(opts.voice === "female" || opts.voice === "male" ? {} : { voice: opts.voice }),
        },
      };
    case "gather":
      return {
        action: "gather_using_speak",
        leg: cmd.leg,
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
    case "stop_gather":
      return { action: "gather_stop", leg: cmd.leg, body: { ...ids } };
    case "play":
      return {
        action: "playback_start",
        leg: cmd.leg,
        body: { ...ids, audio_url: cmd.audioUrl, loop: cmd.loop ? "infinity" : 1 },
      };
    case "stop_playback":
      return { action: "playback_stop", leg: cmd.leg, body: { ...ids } };
    case "dial":
      return dialRequest(cmd, opts);
    case "bridge":
      return {
        action: "bridge",
        leg: cmd.leg,
        body: {
          ...ids,
          call_control_id_to_bridge_with: cmd.other,
          ...(cmd.parkAfterUnbridge ? { park_after_unbridge: cmd.parkAfterUnbridge } : {}),
          ...(cmd.muteDtmf ? { mute_dtmf: cmd.muteDtmf } : {}),
        },
      };
    case "enqueue":
      return {
        action: "enqueue",
        leg: cmd.leg,
        body: {
          ...ids,
          queue_name: cmd.queue,
          ...(cmd.maxWaitSecs !== undefined ? { max_wait_time_secs: cmd.maxWaitSecs } : {}),
        },
      };
    case "leave_queue":
      return { action: "leave_queue", leg: cmd.leg, body: { ...ids } };
    case "transfer":
      return {
        action: "transfer",
        leg: cmd.leg,
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
        action: "record_start",
        leg: cmd.leg,
        body: {
          ...ids,
          format: "mp3",
          channels: "single",
          max_length: cmd.maxLengthSecs,
          play_beep: cmd.playBeep,
        },
      };
    case "record_stop":
      return { action: "record_stop", leg: cmd.leg, body: { ...ids } };
    case "record_pause":
      return { action: "record_pause", leg: cmd.leg, body: { ...ids } };
    case "record_resume":
      return { action: "record_resume", leg: cmd.leg, body: { ...ids } };
    case "hangup":
      return { action: "hangup", leg: cmd.leg, body: { ...ids } };
  }
}

function dialRequest(
  cmd: Extract<TelnyxCommand, { type: "dial" }>,
  opts: TelnyxRequestOptions,
): TelnyxRequest {
  if (!opts.connectionId) throw new Error("toTelnyxRequest: dial needs a connectionId");
  return {
    action: "dial",
    leg: null,
    body: {
      command_id: opts.commandId,
      client_state: opts.clientState,
      connection_id: opts.connectionId,
      to: cmd.to,
      from: cmd.from,
      // Keeps the new leg in the caller's call_session_id, so its webhooks reach the same object.
      link_to: cmd.linkTo,
      timeout_secs: cmd.timeoutSecs,
      ...(cmd.bridgeOnAnswer ? { bridge_on_answer: true } : {}),
      ...(cmd.timeLimitSecs !== undefined ? { time_limit_secs: clampTimeLimit(cmd.timeLimitSecs) } : {}),
    },
  };
}

/** Telnyx rejects time_limit_secs outside 30–14400; it is only a backstop, so clamp rather than fail. */
const clampTimeLimit = (secs: number): number => Math.min(14_400, Math.max(30, Math.ceil(secs)));
