/**
 * The number to call: asked (after a notice — the balance, why the last call ended), keyed in
 * national or international form and made E.164 by the line's dial plan, then sent for rating.
 * Invalid and unrated numbers are asked again within the line's tries, costing nothing.
 */
import {
  invalid,
  startCollect,
  stepCollect,
  valid,
  type CollectDigitsSpec,
} from "../../../ivr/collect-digits";
import type { EngineEvent } from "../../../ivr/types";
import type { CardEvent } from "../card-vocabulary";
import { endSession, goodbye } from "./card-end";
import { callerLeg, type CardCtx, type CardResult, type CardState } from "./card-state";
import { texts } from "./card-texts";
import { toE164 } from "./dial-plan";

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;
type CardEv<T extends CardEvent["type"]> = Extract<CardEvent, { type: T }>;

function destinationSpec(ctx: CardCtx, prompt: string): CollectDigitsSpec {
  const plan = ctx.line.config.dialPlan;
  return {
    prompt,
    minDigits: 3,
    maxDigits: 18,
    validate: (digits) => (toE164(digits, plan) ? valid : invalid(texts.destinationInvalid)),
    maxTries: ctx.line.config.destinationTries,
    timeoutMs: 15_000,
    interDigitTimeoutMs: 5_000,
  };
}

/** Asks for the number to call, after the notice (balance, why the last call ended) if any. */
export function askDestination(state: CardState, ctx: CardCtx): CardResult {
  const prompt = state.notice ? `${state.notice} ${texts.destinationPrompt}` : texts.destinationPrompt;
  const entry = startCollect(destinationSpec(ctx, prompt), callerLeg(state));
  return {
    state: { ...state, phase: "destination", entry: entry.state, notice: null },
    commands: entry.commands,
  };
}

export function rateDestination(state: CardState, destination: string): CardResult {
  if (!state.card) return { state, commands: [] };
  return {
    state: { ...state, phase: "rating", entry: null },
    commands: [{ type: "rate_destination", accountId: state.card.accountId, destination }],
  };
}

export function enterDestination(state: CardState, e: Ev<"digits_gathered">, ctx: CardCtx): CardResult {
  if (!state.entry) return { state, commands: [] };
  const step = stepCollect(destinationSpec(ctx, texts.destinationPrompt), state.entry, e);
  const next = { ...state, entry: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done": {
      const number = toE164(step.entered ?? "", ctx.line.config.dialPlan);
      return number ? rateDestination(next, number) : { state: next, commands: [] };
    }
    case "cancelled":
      return askDestination({ ...next, notice: null }, ctx);
    case "failed":
      return goodbye(
        next,
        ctx,
        texts.tooManyDestinationTries,
        state.totals.connected ? "completed" : "no_input",
      );
    case "hungUp":
      return endSession(next, ctx, {
        status: outcomeStatus(state, "abandoned"),
        endedAt: e.at,
        cause: "normal_clearing",
        by: "caller",
      });
  }
}

export const outcomeStatus = (state: CardState, otherwise: string) =>
  state.totals.connected > 0 ? "completed" : otherwise;

/** Back to the number prompt after a refusal that cost nothing, within the line's tries. */
export function tryAnotherNumber(state: CardState, ctx: CardCtx, reason: string): CardResult {
  const tries = state.destinationTries + 1;
  if (tries >= ctx.line.config.destinationTries * 2)
    return goodbye(
      { ...state, destinationTries: tries },
      ctx,
      `${reason} ${texts.goodbye}`,
      outcomeStatus(state, "no_destination"),
    );
  return askDestination({ ...state, destinationTries: tries, notice: reason }, ctx);
}

export function unrated(state: CardState, _e: CardEv<"destination_unrated">, ctx: CardCtx): CardResult {
  if (ctx.line.config.mode === "direct")
    return goodbye(state, ctx, `${texts.noRate} ${texts.goodbye}`, "no_rate");
  return tryAnotherNumber(state, ctx, texts.noRate);
}
