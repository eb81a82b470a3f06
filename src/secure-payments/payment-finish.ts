/**
 * How a secure payment ends, once: the record is written (charged, or not and why), the card
 * digits are forgotten, and then the caller hears the result and is bridged back to the agent —
 * or, if the agent left, hears why the call ends — or, if the caller left, the call just ends.
 * Hang-ups are held while money can still move, so the product settles only after the record.
 */
import { say } from "../ivr/prompts";
import type { PaymentCtx, PaymentResult, SecurePaymentState } from "./payment-state";
import {
  stepsComplete,
  PAYMENT_TIMERS,
  REJOIN_BACKSTOP_MS,
  SPEECH_BACKSTOP_MS,
  type HangUp,
  type PaymentCommand,
} from "./payment-state";
import { texts } from "./texts";
import type { FailureReason, PaymentOutcome, PaymentStep, SecurePaymentRecord } from "./vocabulary";

export type OutcomeParts = Pick<PaymentOutcome, "status" | "reason"> &
  Partial<Pick<PaymentOutcome, "declineCode" | "paymentId">>;

const clear = (...names: readonly string[]): PaymentCommand[] =>
  names.map((name) => ({ type: "clear_timer", name }));

function recordOf(state: SecurePaymentState, outcome: PaymentOutcome, ctx: PaymentCtx): SecurePaymentRecord {
  const r = state.request;
  return {
    id: r.id,
    callId: ctx.sessionId,
    lineId: ctx.line.id,
    product: ctx.line.product,
    agentId: r.agentId,
    item: r.item,
    amount: r.amount,
    currency: r.currency,
    status: outcome.status,
    reason: outcome.reason,
    declineCode: outcome.declineCode,
    paymentId: outcome.paymentId,
    cardBrand: outcome.cardBrand,
    cardLast4: outcome.cardLast4,
    leftBy: outcome.leftBy,
    stoppedAt: outcome.status === "succeeded" ? null : stepOf(state),
    stepsCompleted: stepsComplete(state),
    requestedBy: r.requestedBy,
    requestedAt: r.requestedAt,
    finishedAt: outcome.at,
  };
}

/** The step the caller was on, when the request stops before the card is complete. */
function stepOf(state: SecurePaymentState): PaymentStep | null {
  if (state.phase === "amount") return "amount";
  if (state.phase !== "card" || !state.card) return null;
  return state.card.field === "street" ? null : state.card.field;
}

const callerGone = (s: SecurePaymentState) => s.held.some((h) => h.leg === s.caller);
const agentGone = (s: SecurePaymentState) => s.held.some((h) => h.leg === s.agent);

/** Records the outcome and moves on to telling the caller (or ends, if they left). */
export function conclude(
  state: SecurePaymentState,
  ctx: PaymentCtx,
  parts: OutcomeParts,
  before: PaymentCommand[] = [],
): PaymentResult {
  const charged = parts.status === "succeeded";
  const outcome: PaymentOutcome = {
    status: parts.status,
    reason: parts.reason,
    declineCode: parts.declineCode ?? null,
    paymentId: parts.paymentId ?? state.prepared,
    // Brand and last 4 are shown only for a payment that went through.
    cardBrand: charged ? state.cardBrand : null,
    cardLast4: charged ? state.cardLast4 : null,
    leftBy: state.leftBy,
    at: ctx.now,
  };
  const next: SecurePaymentState = {
    ...state,
    outcome,
    stoppedAt: charged ? null : stepOf(state),
    completedAtEnd: stepsComplete(state),
    amountMenu: null,
    card: null,
  };
  const cleanup: PaymentCommand[] = [
    ...before,
    { type: "forget_card" },
    // Ending mid-card (silence, a hang-up, the agent): digits must be logged redacted no longer.
    ...(state.phase === "card" ? [{ type: "log_sensitive", on: false } as const] : []),
    { type: "record_secure_payment", record: recordOf(state, outcome, ctx) },
    ...clear("sp_isolate", "sp_input"),
  ];
  if (callerGone(next)) return endCall(next, cleanup);
  const stop: PaymentCommand[] = state.listening ? [{ type: "stop_gather", leg: state.caller }] : [];
  const speech = agentGone(next)
    ? charged
      ? `${resultText(next)} ${texts.agentGoodbye}`
      : texts.agentLeft(false)
    : `${resultText(next)} ${texts.backToAgent}`;
  return {
    state: {
      ...next,
      phase: agentGone(next) ? "farewell" : "announcing",
      listening: false,
      speaking: next.speaking + 1,
    },
    commands: [
      ...cleanup,
      ...stop,
      say(state.caller, speech),
      { type: "set_timer", name: "sp_speech", at: ctx.now + SPEECH_BACKSTOP_MS },
    ],
  };
}

function resultText(state: SecurePaymentState): string {
  const { outcome, request } = state;
  if (outcome?.status === "succeeded") return texts.success(request.amount, request.currency);
  return texts.failed[outcome?.reason ?? "not_isolated"];
}

/** Over, and the call with it: the held hang-ups go to the talk machine, which ends the call. */
export function endCall(state: SecurePaymentState, before: PaymentCommand[] = []): PaymentResult {
  return {
    state: { ...state, end: { kind: "call_ending" }, listening: false },
    commands: [...before, ...clear(...PAYMENT_TIMERS)],
  };
}

/** The result was said: caller and agent are bridged again (the caller parks if the agent leaves). */
export function rejoin(state: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  return {
    state: { ...state, phase: "rejoining" },
    commands: [
      ...clear("sp_speech"),
      { type: "bridge", leg: state.caller, other: state.agent, parkAfterUnbridge: "self" },
      ...(state.isolated ? [{ type: "record_resume", leg: state.caller } as const] : []),
      { type: "set_timer", name: "sp_rejoin", at: ctx.now + REJOIN_BACKSTOP_MS },
    ],
  };
}

/** Bridged again (or the backstop fired): talk goes on from `at`. */
export function rejoined(state: SecurePaymentState, at: number): PaymentResult {
  return { state: { ...state, end: { kind: "rejoined", at } }, commands: clear(...PAYMENT_TIMERS) };
}

/** A leg left. Before any money moves the request stops; while it may move, we wait for Stripe. */
export function legLeft(state: SecurePaymentState, e: HangUp, ctx: PaymentCtx): PaymentResult {
  if (state.held.some((h) => h.leg === e.leg)) return { state, commands: [] };
  const who = e.leg === state.caller ? "caller" : "agent";
  const next: SecurePaymentState = {
    ...state,
    leftBy: state.leftBy ?? who,
    held: [...state.held, e],
    // A caller who hung up has no gather left to stop.
    listening: who === "caller" ? false : state.listening,
  };
  switch (state.phase) {
    case "isolating":
    case "amount":
    case "card": {
      const reason: FailureReason = who === "caller" ? "caller_hung_up" : "agent_hung_up";
      return conclude(next, ctx, { status: "failed", reason });
    }
    case "charging":
    case "releasing":
      return { state: next, commands: [] };
    case "announcing":
    case "rejoining":
      // The result is recorded; a caller still on the line hears why the call ends.
      return who === "agent" ? farewell(next, ctx) : endCall(next);
    case "farewell":
      return endCall(next);
  }
}

function farewell(state: SecurePaymentState, ctx: PaymentCtx): PaymentResult {
  return {
    state: { ...state, phase: "farewell", speaking: state.speaking + 1 },
    commands: [
      ...clear("sp_rejoin"),
      say(state.caller, texts.agentLeft(state.outcome?.status === "succeeded")),
      { type: "set_timer", name: "sp_speech", at: ctx.now + SPEECH_BACKSTOP_MS },
    ],
  };
}
