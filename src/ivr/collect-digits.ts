/**
 * Collect digits: a reusable sub-machine that prompts, gathers, validates, optionally reads back
 * for a 1/2 confirmation, and retries up to a limit. `*` cancels. A sensitive spec never keeps the
 * digits in its (persisted) state: they leave once, as `entered`, on the step they arrive.
 * It owns no timers (the gather's own timeout is the silence timeout) and no wording beyond retries.
 */
import type { EngineCommand, EngineEvent, LegId } from "./types";

export type Validation = { ok: true } | { ok: false; reason: string };
export const valid: Validation = { ok: true };
export const invalid = (reason: string): Validation => ({ ok: false, reason });

export interface CollectDigitsSpec {
  prompt: string;
  minDigits: number;
  maxDigits: number;
  /** `#` ends entry early (default true). */
  terminator?: boolean;
  validate?: (digits: string) => Validation;
  /** Turns on "You entered X. Press 1 to confirm, 2 to re-enter." X must not reveal sensitive digits. */
  readback?: (digits: string) => string;
  sensitive?: boolean;
  /** How many entry prompts the caller gets in all (re-entries and silent timeouts count). */
  maxTries: number;
  timeoutMs: number;
  interDigitTimeoutMs?: number;
}

export interface CollectDigitsState {
  leg: LegId;
  step: "entering" | "confirming";
  tries: number;
  /** Entered digits awaiting confirmation; always null for a sensitive spec. */
  pending: string | null;
}

export type CollectResult =
  /** `value` is null for a sensitive spec: its digits were handed over as `entered`. */
  | { kind: "done"; value: string | null }
  | { kind: "cancelled" }
  | { kind: "failed"; reason: "tooManyTries" }
  | { kind: "hungUp" };

export interface CollectStep {
  state: CollectDigitsState;
  commands: EngineCommand[];
  result?: CollectResult;
  /** The digits that just passed validation, delivered once and never stored. */
  entered?: string;
}

export const NO_INPUT_TEXT = "We did not receive your entry.";
export const NOT_VALID_TEXT = "That entry was not valid.";
export const CONFIRM_AGAIN_TEXT = "Press 1 to confirm your entry, or 2 to enter it again.";

function entryGather(spec: CollectDigitsSpec, leg: LegId, before: string | null): EngineCommand {
  const useTerminator = spec.terminator ?? true;
  return {
    type: "gather",
    leg,
    prompt: before ? `${before} ${spec.prompt}` : spec.prompt,
    minDigits: spec.minDigits,
    maxDigits: spec.maxDigits,
    ...(useTerminator ? { terminator: "#" as const } : {}),
    validDigits: useTerminator ? "0123456789*#" : "0123456789*",
    timeoutMs: spec.timeoutMs,
    ...(spec.interDigitTimeoutMs ? { interDigitTimeoutMs: spec.interDigitTimeoutMs } : {}),
  };
}

function confirmGather(spec: CollectDigitsSpec, leg: LegId, prompt: string): EngineCommand {
  return {
    type: "gather",
    leg,
    prompt,
    minDigits: 1,
    maxDigits: 1,
    validDigits: "12*",
    timeoutMs: spec.timeoutMs,
  };
}

export function startCollect(spec: CollectDigitsSpec, leg: LegId): CollectStep {
  return {
    state: { leg, step: "entering", tries: 1, pending: null },
    commands: [entryGather(spec, leg, null)],
  };
}

/** Ask again with the reason first, or fail once every try is used. */
function retry(spec: CollectDigitsSpec, state: CollectDigitsState, reason: string | null): CollectStep {
  if (state.tries >= spec.maxTries)
    return { state, commands: [], result: { kind: "failed", reason: "tooManyTries" } };
  return {
    state: { ...state, step: "entering", tries: state.tries + 1, pending: null },
    commands: [entryGather(spec, state.leg, reason)],
  };
}

function onEntry(
  spec: CollectDigitsSpec,
  state: CollectDigitsState,
  digits: string,
  status: string,
): CollectStep {
  const complete = status === "valid" || (status === "timeout" && digits.length >= spec.minDigits);
  if (!complete) return retry(spec, state, digits === "" ? NO_INPUT_TEXT : NOT_VALID_TEXT);
  if (digits.length < spec.minDigits || digits.length > spec.maxDigits || !/^\d+$/.test(digits)) {
    return retry(spec, state, NOT_VALID_TEXT);
  }
  const verdict = spec.validate ? spec.validate(digits) : valid;
  if (!verdict.ok) return retry(spec, state, verdict.reason);
  const keep = spec.sensitive ? null : digits;
  if (!spec.readback) return { state, commands: [], entered: digits, result: { kind: "done", value: keep } };
  const prompt = `You entered ${spec.readback(digits)}. Press 1 to confirm, or 2 to enter it again.`;
  return {
    state: { ...state, step: "confirming", pending: keep },
    commands: [confirmGather(spec, state.leg, prompt)],
    entered: digits,
  };
}

function onConfirm(spec: CollectDigitsSpec, state: CollectDigitsState, digits: string): CollectStep {
  if (digits === "1") return { state, commands: [], result: { kind: "done", value: state.pending } };
  if (digits === "2") return retry(spec, state, null);
  if (state.tries >= spec.maxTries)
    return { state, commands: [], result: { kind: "failed", reason: "tooManyTries" } };
  // A sensitive entry cannot be read back again: its digits are no longer here.
  const again = state.pending && spec.readback ? `You entered ${spec.readback(state.pending)}. ` : "";
  return {
    state: { ...state, tries: state.tries + 1 },
    commands: [confirmGather(spec, state.leg, `${again}${CONFIRM_AGAIN_TEXT}`)],
  };
}

/** Feeds one event; events for other legs and unrelated events change nothing. */
export function stepCollect(
  spec: CollectDigitsSpec,
  state: CollectDigitsState,
  event: EngineEvent,
): CollectStep {
  if (event.type === "leg_hung_up" && event.leg === state.leg) {
    return { state, commands: [], result: { kind: "hungUp" } };
  }
  if (event.type !== "digits_gathered" || event.leg !== state.leg) return { state, commands: [] };
  if (event.status === "hangup") return { state, commands: [], result: { kind: "hungUp" } };
  if (event.digits.includes("*")) return { state, commands: [], result: { kind: "cancelled" } };
  return state.step === "entering"
    ? onEntry(spec, state, event.digits, event.status)
    : onConfirm(spec, state, event.digits);
}
