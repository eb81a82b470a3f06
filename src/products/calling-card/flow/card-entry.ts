/**
 * The call up to a usable card: answer, then the PIN (two-stage) or the caller's registered number
 * (pinless and direct lines, with the PIN as fallback), the card check and its answer. The PIN is
 * collected as sensitive (never kept in state) and handed to memory once; wrong length, `*` and
 * silence are retried within the line's tries; refused PINs count towards the 24-hour lockout.
 */
import {
  startCollect,
  stepCollect,
  type CollectDigitsSpec,
  type CollectStep,
} from "../../../ivr/collect-digits";
import type { CollectDigitsState } from "../../../ivr/collect-digits";
import type { EngineEvent } from "../../../ivr/types";
import type { CardEvent } from "../card-vocabulary";
import { askDestination, rateDestination } from "./card-destination";
import { endSession, goodbye } from "./card-end";
import { callerLeg, type CardCtx, type CardResult, type CardState } from "./card-state";
import { balanceText, refusalText, texts, welcomeWithPin } from "./card-texts";

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;
type CardEv<T extends CardEvent["type"]> = Extract<CardEvent, { type: T }>;

export function pinSpec(ctx: CardCtx, prompt: string): CollectDigitsSpec {
  return {
    prompt,
    minDigits: 10,
    maxDigits: 16,
    sensitive: true,
    maxTries: ctx.line.config.pinTries,
    timeoutMs: 10_000,
    interDigitTimeoutMs: 5_000,
  };
}

/** Asks again (after `*`, or a refused PIN) within the same tries as collect-digits' own retries. */
export function askAgain(spec: CollectDigitsSpec, entry: CollectDigitsState, before: string): CollectStep {
  if (entry.tries >= spec.maxTries)
    return { state: entry, commands: [], result: { kind: "failed", reason: "tooManyTries" } };
  const next = startCollect({ ...spec, prompt: `${before} ${spec.prompt}` }, entry.leg);
  return { state: { ...next.state, tries: entry.tries + 1 }, commands: next.commands };
}

export function answer(state: CardState, e: Ev<"call_started">): CardResult {
  const caller = { leg: e.leg, from: e.from, to: e.to, startedAt: e.at, answeredAt: null };
  // Digits on this line (PINs, and the keys pressed around them) are never logged.
  return {
    state: { ...state, phase: "answering", caller },
    commands: [
      { type: "log_sensitive", on: true },
      { type: "answer", leg: e.leg },
    ],
  };
}

function askPin(state: CardState, ctx: CardCtx, prompt: string): CardResult {
  const pin = startCollect(pinSpec(ctx, prompt), callerLeg(state));
  return { state: { ...state, phase: "pin", entry: pin.state }, commands: pin.commands };
}

export function answered(state: CardState, e: Ev<"leg_answered">, ctx: CardCtx): CardResult {
  if (!state.caller) return { state, commands: [] };
  const next = { ...state, caller: { ...state.caller, answeredAt: e.at } };
  const cfg = ctx.line.config;
  if (cfg.mode === "two_stage") return askPin(next, ctx, welcomeWithPin(cfg.welcomeText));
  return {
    state: { ...next, phase: "finding_card" },
    commands: [
      { type: "find_caller_card", callerNumber: state.caller.from, maxCalls: cfg.maxSimultaneousCalls },
    ],
  };
}

export function enterPin(state: CardState, e: Ev<"digits_gathered">, ctx: CardCtx): CardResult {
  if (!state.entry) return { state, commands: [] };
  const spec = pinSpec(ctx, texts.pinPrompt);
  const step = e.digits.includes("*")
    ? askAgain(spec, state.entry, texts.pinAgain)
    : stepCollect(spec, state.entry, e);
  const next = { ...state, entry: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done":
      if (step.entered === undefined) return { state: next, commands: [] };
      return {
        state: { ...next, phase: "checking_pin" },
        commands: [
          { type: "hold_pin", value: step.entered },
          {
            type: "check_pin",
            callerNumber: state.caller?.from ?? "",
            maxCalls: ctx.line.config.maxSimultaneousCalls,
          },
        ],
      };
    case "cancelled":
    case "failed":
      return goodbye(next, ctx, texts.tooManyPinTries, "no_input");
    case "hungUp":
      return endSession(next, ctx, {
        status: "abandoned",
        endedAt: e.at,
        cause: "normal_clearing",
        by: "caller",
      });
  }
}

/** The card is good: say its balance, then the number to call (or, on a direct line, dial it). */
export function cardAccepted(state: CardState, e: CardEv<"pin_accepted">, ctx: CardCtx): CardResult {
  const card = { accountId: e.accountId, currency: e.currency, available: e.available };
  const cfg = ctx.line.config;
  const next: CardState = { ...state, card, entry: null };
  const greeting = state.phase === "finding_card" ? `${cfg.welcomeText} ` : "";
  const balance = `${greeting}${balanceText(e.available, e.currency)}`;
  const forget = { type: "forget_pin" } as const;
  if (cfg.mode === "direct" && cfg.destination) {
    const rate = rateDestination({ ...next, notice: null }, cfg.destination);
    return {
      state: rate.state,
      commands: [forget, { type: "speak", leg: callerLeg(state), text: balance }, ...rate.commands],
    };
  }
  const ask = askDestination({ ...next, notice: balance }, ctx);
  return { state: ask.state, commands: [forget, ...ask.commands] };
}

export function cardRefused(state: CardState, e: CardEv<"pin_refused">, ctx: CardCtx): CardResult {
  const forget = { type: "forget_pin" } as const;
  const cfg = ctx.line.config;
  if (e.reason === "not_registered" && cfg.pinFallback) {
    const pin = askPin(state, ctx, welcomeWithPin(cfg.welcomeText));
    return { state: pin.state, commands: [forget, ...pin.commands] };
  }
  if (e.reason === "unknown" && state.entry) {
    const retry = askAgain(pinSpec(ctx, texts.pinPrompt), state.entry, texts.pinUnknown);
    const next = { ...state, pinFailures: state.pinFailures + 1, entry: retry.state };
    if (retry.result)
      return goodbye(next, ctx, `${texts.pinUnknown} ${texts.tooManyPinTries}`, "pin_refused", [forget]);
    return { state: { ...next, phase: "pin" }, commands: [forget, ...retry.commands] };
  }
  return goodbye(state, ctx, refusalText(e.reason, e.lockedUntil, ctx.now), `card_${e.reason}`, [forget]);
}

/** The object restarted between the PIN and its check: the PIN is gone from memory, ask again. */
export function pinLost(state: CardState, _e: CardEv<"pin_lost">, ctx: CardCtx): CardResult {
  return askPin(state, ctx, texts.pinAgain);
}

export function cardUnavailable(state: CardState, _e: CardEv<"card_unavailable">, ctx: CardCtx): CardResult {
  return goodbye(state, ctx, texts.unavailable, "card_unavailable", [{ type: "forget_pin" }]);
}
