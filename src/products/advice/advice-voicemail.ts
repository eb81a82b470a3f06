/**
 * Voicemail when no rep can be reached: the prompt (which says the hold is released or the flat
 * fee refunded), a recording with a beep, and waiting for the saved recording even after the
 * caller hangs up, so the record carries its URL. Settlement does the actual release/refund.
 */
import { clearTimers, setTimer } from "../../ivr/commands";
import { say } from "../../ivr/prompts";
import type { EngineEvent } from "../../ivr/types";
import { goodbye, settle } from "./advice-settle";
import { callerLeg, type AdviceCtx, type AdviceResult, type AdviceState } from "./advice-state";
import { texts, voicemailPrompt } from "./advice-texts";

type Result = AdviceResult;
type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

/** How long we wait for Telnyx to report a saved recording after it stopped. */
export const RECORDING_WAIT_MS = 30_000;

export function startVoicemail(state: AdviceState, ctx: AdviceCtx): Result {
  return {
    state: { ...state, phase: "voicemail_prompt" },
    commands: [say(callerLeg(state), voicemailPrompt(ctx.line.config))],
  };
}

export function startRecording(state: AdviceState, _e: Ev<"speak_ended">, ctx: AdviceCtx): Result {
  const maxSec = ctx.line.config.voicemailMaxSec;
  return {
    state: { ...state, phase: "recording" },
    commands: [
      { type: "record_start", leg: callerLeg(state), maxLengthSecs: maxSec, playBeep: true },
      setTimer("voicemail_end", ctx.now + (maxSec + 5) * 1000),
    ],
  };
}

export function recordingSaved(state: AdviceState, e: Ev<"recording_saved">, ctx: AdviceCtx): Result {
  const next = { ...state, voicemail: { url: e.url, durationSec: e.durationSec } };
  return goodbye(next, ctx, texts.voicemailThanks, "voicemail");
}

/** The message reached its maximum length: stop, then wait for the saved recording. */
export function stopRecording(state: AdviceState, _e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  return {
    state,
    commands: [
      { type: "record_stop", leg: callerLeg(state) },
      setTimer("recording_wait", ctx.now + RECORDING_WAIT_MS),
    ],
  };
}

export function recordingNeverSaved(state: AdviceState, _e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  return goodbye(state, ctx, texts.goodbye, "no_agent");
}

/** Hanging up is how most callers finish a message: Telnyx stops the recording and saves it. */
export function callerLeftMessage(state: AdviceState, e: Ev<"leg_hung_up">, ctx: AdviceCtx): Result {
  return {
    state: {
      ...state,
      phase: "awaiting_recording",
      pending: { status: "voicemail", endedAt: e.at, cause: e.cause, by: "caller" },
    },
    commands: [...clearTimers("voicemail_end"), setTimer("recording_wait", ctx.now + RECORDING_WAIT_MS)],
  };
}

export function settleWithMessage(state: AdviceState, e: Ev<"recording_saved">, ctx: AdviceCtx): Result {
  const outcome = state.pending ?? { status: "voicemail", endedAt: e.at, cause: null, by: "caller" as const };
  const next = { ...state, voicemail: { url: e.url, durationSec: e.durationSec } };
  return settle(next, ctx, { ...outcome, status: "voicemail" });
}

export function settleWithoutMessage(state: AdviceState, e: Ev<"timer_fired">, ctx: AdviceCtx): Result {
  const outcome = state.pending ?? { status: "no_agent", endedAt: e.at, cause: null, by: "caller" as const };
  return settle(state, ctx, { ...outcome, status: "no_agent" });
}
