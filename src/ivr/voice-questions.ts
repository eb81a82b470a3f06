/**
 * Questions answered by voice, asked one after another (the caller's name, the topic of the call):
 * each prompt goes out as a speech gather; a question not understood is asked once more, then left
 * unanswered so the call goes on. Answers are kept as text with the call — scrubbed of anything
 * that looks like a card number, since a caller may say one where they should not. Pure.
 */
import type { EngineCommand, EngineEvent, LegId } from "./types";

export interface VoiceQuestion {
  /** The answer's name in the call record, e.g. "caller_name". */
  field: string;
  prompt: string;
}

export interface VoiceQuestionsState {
  leg: LegId;
  questions: VoiceQuestion[];
  index: number;
  /** Tries of the current question (1 = first ask). */
  tries: number;
  answers: Record<string, string | null>;
}

export type VoiceQuestionsStep = {
  state: VoiceQuestionsState;
  commands: EngineCommand[];
  /** Set once every question is answered or given up: the answers so far, by field. */
  done?: Record<string, string | null>;
};

export const VOICE_TIMEOUT_MS = 8_000;
const TRIES = 2;
const NOT_UNDERSTOOD = "Sorry, I did not catch that.";

/** Runs of 12 or more digits (spaces and dashes between them allowed): a card number, never kept. */
const CARD_LIKE = /\d(?:[\s-]*\d){11,}/g;

export function scrubAnswer(text: string): string {
  return text.replace(CARD_LIKE, "[digits removed]");
}

const ask = (leg: LegId, q: VoiceQuestion, retry: boolean): EngineCommand => ({
  type: "ask_by_voice",
  leg,
  field: q.field,
  prompt: retry ? `${NOT_UNDERSTOOD} ${q.prompt}` : q.prompt,
  timeoutMs: VOICE_TIMEOUT_MS,
});

/** Starts with the first question; none at all is done at once. */
export function startVoiceQuestions(
  questions: readonly VoiceQuestion[],
  leg: LegId,
  answers: Record<string, string | null> = {},
): VoiceQuestionsStep {
  const state: VoiceQuestionsState = { leg, questions: [...questions], index: 0, tries: 1, answers };
  const first = questions[0];
  if (!first) return { state, commands: [], done: answers };
  return { state, commands: [ask(leg, first, false)] };
}

export function stepVoiceQuestions(state: VoiceQuestionsState, event: EngineEvent): VoiceQuestionsStep {
  if (event.type !== "voice_answered" || event.leg !== state.leg) return { state, commands: [] };
  const q = state.questions[state.index];
  if (!q) return { state, commands: [], done: state.answers };
  if (event.status !== "valid" && state.tries < TRIES)
    return { state: { ...state, tries: state.tries + 1 }, commands: [ask(state.leg, q, true)] };
  const answer = event.status === "valid" && event.answer ? scrubAnswer(event.answer) : null;
  const answers = { ...state.answers, [q.field]: answer };
  const next = state.questions[state.index + 1];
  const moved = { ...state, index: state.index + 1, tries: 1, answers };
  if (!next) return { state: moved, commands: [], done: answers };
  return { state: moved, commands: [ask(state.leg, next, false)] };
}
