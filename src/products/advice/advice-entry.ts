/**
 * The advice call up to a captured card: answer, welcome, terms (1 accept / 2 decline), card
 * capture. Each export is one handler the flow's table names; none of them touches money.
 */
import { stepCardCapture } from "../../card-payments/card-capture";
import { setTimer } from "../../ivr/commands";
import { startCollect, stepCollect } from "../../ivr/collect-digits";
import { say } from "../../ivr/prompts";
import type { EngineEvent } from "../../ivr/types";
import { settle, goodbye } from "./advice-settle";
import { callerLeg, type AdviceCtx, type AdviceResult, type AdviceState } from "./advice-state";
import { termsPrompt, texts } from "./advice-texts";
import { cardConfig, oneOrTwo } from "./advice-menus";
import { askThen } from "./advice-questions";
import { authorize } from "./advice-payment";

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

export function answer(state: AdviceState, e: Ev<"call_started">, ctx: AdviceCtx): AdviceResult {
  const caller = { leg: e.leg, from: e.from, to: e.to, startedAt: e.at, answeredAt: null };
  return {
    state: { ...state, phase: "answering", caller },
    commands: [
      { type: "answer", leg: e.leg },
      setTimer("pre_talk_limit", ctx.now + ctx.line.config.maxPreTalkSec * 1000),
    ],
  };
}

export function welcome(state: AdviceState, e: Ev<"leg_answered">, ctx: AdviceCtx): AdviceResult {
  if (!state.caller) return { state, commands: [] };
  const caller = { ...state.caller, answeredAt: e.at };
  return {
    state: { ...state, phase: "welcome", caller },
    commands: [say(e.leg, ctx.line.config.welcomeText)],
  };
}

export function offerTerms(state: AdviceState, ctx: AdviceCtx): AdviceResult {
  const menu = startCollect(
    oneOrTwo(termsPrompt(ctx.line.config), ctx.line.config.maxTries),
    callerLeg(state),
  );
  return { state: { ...state, phase: "terms", menu: menu.state }, commands: menu.commands };
}

export function answerTerms(state: AdviceState, e: Ev<"digits_gathered">, ctx: AdviceCtx): AdviceResult {
  if (!state.menu) return { state, commands: [] };
  const step = stepCollect(oneOrTwo(termsPrompt(ctx.line.config), ctx.line.config.maxTries), state.menu, e);
  const next = { ...state, menu: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done":
      return step.result.value === "1"
        ? askThen(next, ctx, "card")
        : goodbye(next, ctx, texts.declinedTerms, "declined_terms");
    case "cancelled":
      return goodbye(next, ctx, texts.declinedTerms, "declined_terms");
    case "failed":
      return goodbye(next, ctx, texts.termsNoAnswer, "no_input");
    case "hungUp":
      return settle(next, ctx, {
        status: "abandoned",
        endedAt: e.at,
        cause: "normal_clearing",
        by: "caller",
      });
  }
}

export function enterCard(state: AdviceState, e: Ev<"digits_gathered">, ctx: AdviceCtx): AdviceResult {
  if (!state.card) return { state, commands: [] };
  const step = stepCardCapture(cardConfig(ctx), state.card, e, ctx.now);
  const next = { ...state, card: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done": {
      const withCard = { ...next, card: null, cardBrand: step.result.brand, cardLast4: step.result.last4 };
      const auth = authorize(withCard, ctx);
      return { state: auth.state, commands: [...step.commands, ...auth.commands] };
    }
    case "cancelled":
      return goodbye(next, ctx, texts.cardCancelled, "abandoned", step.commands);
    case "failed":
      return goodbye(next, ctx, texts.cardFailed, "card_entry_failed", step.commands);
    case "hungUp":
      return settle(
        next,
        ctx,
        { status: "abandoned", endedAt: e.at, cause: "normal_clearing", by: "caller" },
        step.commands,
      );
  }
}
