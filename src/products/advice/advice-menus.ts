/**
 * The advice line's small reusable prompts: the 1-or-2 menu (terms, payment retry, another card)
 * and starting card capture with the line's settings. Shared by the entry and payment handlers.
 */
import { startCardCapture, type CardCaptureConfig } from "../../card-payments/card-capture";
import { invalid, valid, type CollectDigitsSpec } from "../../ivr/collect-digits";
import { callerLeg, type AdviceCtx, type AdviceResult, type AdviceState } from "./advice-state";

export const MENU_TIMEOUT_MS = 8_000;

/** A one-key menu (1 or 2), used for the terms, the payment retry and "another card?". */
export function oneOrTwo(prompt: string, maxTries: number): CollectDigitsSpec {
  return {
    prompt,
    minDigits: 1,
    maxDigits: 1,
    terminator: false,
    validate: (d) => (d === "1" || d === "2" ? valid : invalid("That is not one of the choices.")),
    maxTries,
    timeoutMs: MENU_TIMEOUT_MS,
  };
}

export function cardConfig(ctx: AdviceCtx): CardCaptureConfig {
  const cfg = ctx.line.config;
  return {
    steps: cfg.cardSteps,
    zipLength: cfg.zipLength,
    maxTries: cfg.maxTries,
    confirm: cfg.confirmCardFields,
    timeoutMs: 10_000,
  };
}

export function startCard(state: AdviceState, ctx: AdviceCtx, intro?: string): AdviceResult {
  const card = startCardCapture(cardConfig(ctx), callerLeg(state), ctx.now, intro);
  return { state: { ...state, phase: "card", menu: null, card: card.state }, commands: card.commands };
}
