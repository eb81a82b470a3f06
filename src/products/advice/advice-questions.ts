/**
 * Voice questions in the advice line's menu, at the points the line sets (after the welcome,
 * after the terms, after the payment): asked with the shared voice-questions machine, then the
 * menu goes on where it was. The answers go into the call record; card fields never come here.
 */
import { startVoiceQuestions, stepVoiceQuestions } from "../../ivr/voice-questions";
import type { EngineEvent } from "../../ivr/types";
import { reserveAgent } from "./advice-connect";
import { startCard } from "./advice-menus";
import {
  callerLeg,
  type AdviceCtx,
  type AdviceResult,
  type AdviceState,
  type QuestionsThen,
} from "./advice-state";
import type { AdviceConfig } from "./config";
import { offerTerms } from "./advice-entry";

const POINT_OF: Record<QuestionsThen, AdviceConfig["voiceQuestions"][number]["at"]> = {
  terms: "before_terms",
  card: "before_card",
  rep: "before_rep",
};

export const questionsAt = (cfg: AdviceConfig, then: QuestionsThen) =>
  cfg.voiceQuestions.filter((q) => q.at === POINT_OF[then]);

function next(state: AdviceState, ctx: AdviceCtx, then: QuestionsThen): AdviceResult {
  const after = { ...state, questions: null };
  if (then === "terms") return offerTerms(after, ctx);
  if (then === "card") return startCard(after, ctx);
  return reserveAgent(after, ctx);
}

/** Asks the line's questions for this point, if it has any; else goes straight on. */
export function askThen(state: AdviceState, ctx: AdviceCtx, then: QuestionsThen): AdviceResult {
  const asked = startVoiceQuestions(
    questionsAt(ctx.line.config, then),
    callerLeg(state),
    state.answers ?? {},
  );
  if (asked.done) return next({ ...state, answers: asked.done }, ctx, then);
  return {
    state: { ...state, phase: "questions", menu: null, questions: { machine: asked.state, then } },
    commands: asked.commands,
  };
}

export function answerQuestion(
  state: AdviceState,
  e: Extract<EngineEvent, { type: "voice_answered" }>,
  ctx: AdviceCtx,
): AdviceResult {
  const asking = state.questions;
  if (!asking) return { state, commands: [] };
  const step = stepVoiceQuestions(asking.machine, e);
  if (!step.done)
    return { state: { ...state, questions: { ...asking, machine: step.state } }, commands: step.commands };
  return next({ ...state, answers: step.done }, ctx, asking.then);
}
