/**
 * DTMF collection for `gather` and `gather_using_speak`, with Telnyx's parameters and defaults
 * (minimum/maximum digits, terminating digit, valid digits, first-digit and inter-digit timeouts,
 * maximum_tries with invalid_payload) ending in call.gather.ended (valid|invalid|timeout|
 * call_hangup|cancelled). Keys during the prompt barge in; keys just before a gather are kept.
 */
import { type Engine, type GatherState, type Leg, speechMs } from "./leg";
import { enqueueMedia, finishMedia } from "./media";
import type { ListeningFor } from "./types";

const int = (v: unknown, fallback: number): number => (typeof v === "number" ? v : fallback);
const str = (v: unknown, fallback: string): string => (typeof v === "string" ? v : fallback);

/** Builds the gather from a validated body; `withPrompt` for gather_using_speak. */
export function createGather(body: Record<string, unknown>, withPrompt: boolean): GatherState {
  return {
    withPrompt,
    payload: str(body.payload, ""),
    invalidPayload: str(body.invalid_payload, ""),
    min: int(body.minimum_digits, 1),
    max: int(body.maximum_digits, 128),
    terminator: str(body.terminating_digit, "#"),
    valid: str(body.valid_digits, "0123456789#*"),
    // After a prompt Telnyx waits timeout_millis for input; a bare gather waits initial_timeout_millis.
    firstDigitMs: withPrompt ? int(body.timeout_millis, 60_000) : int(body.initial_timeout_millis, 5000),
    interDigitMs: int(body.inter_digit_timeout_millis, 5000),
    maxTries: withPrompt ? Math.max(1, int(body.maximum_tries, 3)) : 1,
    tries: 0,
    phase: "queued",
    digits: "",
  };
}

/** Queues a new gather on the leg; one still running is cancelled first. */
export function beginGather(engine: Engine, leg: Leg, gather: GatherState): void {
  if (leg.gather) endGather(engine, leg, "cancelled");
  leg.gather = gather;
  enqueueMedia(engine, leg, { kind: "prompt" });
}

/** Called by the media queue when the gather's turn comes. */
export function startGather(engine: Engine, leg: Leg, g: GatherState, retryText = ""): void {
  const now = Date.now();
  const early = leg.keys.filter((k) => now - k.at <= engine.scaledMs(g.interDigitMs));
  leg.keys = [];
  if (g.withPrompt) {
    g.phase = "prompting";
    const text = retryText ? `${retryText} ${g.payload}` : g.payload;
    g.timer = engine.after(leg, speechMs(text), () => promptDone(engine, leg, g));
    // Hearing is last: a listener may press keys at once, which must find the gather ready.
    if (retryText) engine.hear(leg, { kind: "speak", text: retryText, gather: true });
    if (leg.gather === g)
      engine.hear(leg, { kind: "speak", text: g.payload, gather: true, listening: listeningFor(g) });
  } else {
    promptDone(engine, leg, g);
    engine.hear(leg, { kind: "gather", listening: listeningFor(g) });
  }
  for (const k of early) if (leg.gather === g) onGatherDigit(engine, leg, g, k.digit);
}

/** What the caller's softphone shows about the open gather. */
const listeningFor = (g: GatherState): ListeningFor => ({
  minDigits: g.min,
  maxDigits: g.max,
  terminatingDigit: g.terminator,
});

function promptDone(engine: Engine, leg: Leg, g: GatherState): void {
  if (leg.gather !== g) return;
  const wasPrompting = g.phase !== "collecting";
  g.phase = "collecting";
  arm(engine, leg, g, g.firstDigitMs);
  // The first attempt's prompt holds the media queue; release it so queued audio can play.
  if (wasPrompting && leg.media.current?.item.kind === "prompt") finishMedia(engine, leg);
}

function arm(engine: Engine, leg: Leg, g: GatherState, ms: number): void {
  engine.cancel(leg, g.timer);
  g.timer = engine.after(leg, ms, () => {
    if (leg.gather === g) attemptOver(engine, leg, g, g.digits ? judge(g) : "timeout");
  });
}

const judge = (g: GatherState): "valid" | "invalid" => (g.digits.length >= g.min ? "valid" : "invalid");

export function onGatherDigit(engine: Engine, leg: Leg, g: GatherState, digit: string): void {
  if (g.phase === "queued" || leg.gather !== g) return;
  if (g.phase === "prompting") promptDone(engine, leg, g); // barge-in: keys cut the prompt short
  if (g.terminator && digit === g.terminator) return attemptOver(engine, leg, g, judge(g));
  if (!g.valid.includes(digit)) return attemptOver(engine, leg, g, "invalid");
  g.digits += digit;
  if (g.digits.length >= g.max) return attemptOver(engine, leg, g, "valid");
  arm(engine, leg, g, g.interDigitMs);
}

function attemptOver(
  engine: Engine,
  leg: Leg,
  g: GatherState,
  status: "valid" | "invalid" | "timeout",
): void {
  g.tries += 1;
  if (status !== "valid" && g.tries < g.maxTries) {
    engine.cancel(leg, g.timer);
    g.digits = "";
    startGather(engine, leg, g, status === "invalid" ? g.invalidPayload : "");
    return;
  }
  endGather(engine, leg, status);
}

/** Ends the leg's gather with a final status and reports call.gather.ended. */
export function endGather(engine: Engine, leg: Leg, status: string): void {
  const g = leg.gather;
  if (!g) return;
  engine.cancel(leg, g.timer);
  leg.gather = undefined;
  const holdsQueue = leg.media.current?.item.kind === "prompt";
  if (holdsQueue && g.phase !== "collecting") finishMedia(engine, leg);
  else if (g.phase === "queued") leg.media.queue = leg.media.queue.filter((i) => i.kind !== "prompt");
  engine.emit(leg, "call.gather.ended", { digits: g.digits, status, from: leg.from, to: leg.to });
}
