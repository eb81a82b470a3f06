/**
 * Ending an advice call, once: release or take the money (capture what the talk cost, cancel an
 * unused hold, refund a flat fee nobody earned), free the rep, write the call record. Also the
 * "say goodbye, then settle" path. Money keys are derived from the payment id, so a replay is safe.
 */
import { chargeFor, roundUpToIncrement, talkSeconds } from "../../billing/rating";
import { clearTimers, setTimer } from "../../ivr/commands";
import { say } from "../../ivr/prompts";
import type { CallEvent, CallRecord, CallStatus, Command, PaymentRecord, StepResult } from "../../ivr/types";
import { callerLeg, type AdviceCtx, type AdviceState, type Outcome } from "./advice-state";

/** Every timer the flow may have set; settling clears them all. */
export const TIMERS = [
  "tick",
  "warning",
  "cutoff",
  "ring_timeout",
  "queue_timeout",
  "voicemail_end",
  "recording_wait",
  "goodbye",
  "hangup_wait",
];
export const GOODBYE_BACKSTOP_MS = 30_000;

interface Money {
  billableSeconds: number;
  amount: number;
  commands: Command[];
  payments: PaymentRecord[];
}

/** Prepared payments left open (a confirmation whose answer was lost): undo whatever they did. */
function releases(state: AdviceState): Extract<Command, { type: "release_payment" }>[] {
  return state.openIntents
    .filter((id) => id !== state.payment?.id)
    .map((id) => ({ type: "release_payment", paymentId: id, idempotencyKey: `${id}:release` }));
}

function money(state: AdviceState, ctx: AdviceCtx, endedAt: number): Money {
  const m = takeMoney(state, ctx, endedAt);
  const released = releases(state);
  // Recorded too: the card may show a hold or charge that came and went, and the record says why.
  const records: PaymentRecord[] = released.map((r) => ({
    paymentId: r.paymentId,
    kind: "release",
    amount: 0,
    currency: ctx.line.config.currency,
    status: "released",
    at: endedAt,
  }));
  return { ...m, commands: [...m.commands, ...released], payments: [...m.payments, ...records] };
}

function takeMoney(state: AdviceState, ctx: AdviceCtx, endedAt: number): Money {
  const cfg = ctx.line.config;
  const pay = state.payment;
  const talk = state.talk;
  const talked = talk ? Math.min(talkSeconds(talk.startedAt, endedAt), talk.limitSec) : 0;
  const billableSeconds = roundUpToIncrement(talked, cfg.increment);
  if (!pay) return { billableSeconds, amount: 0, commands: [], payments: [] };
  const entry = (
    kind: PaymentRecord["kind"],
    amount: number,
    status: PaymentRecord["status"],
  ): PaymentRecord => ({
    paymentId: pay.id,
    kind,
    amount,
    currency: cfg.currency,
    status,
    at: endedAt,
  });
  if (cfg.billing === "flat_rate") {
    if (talk) return { billableSeconds, amount: pay.amount, commands: [], payments: [] };
    const refund: Command = { type: "refund_payment", paymentId: pay.id, idempotencyKey: `${pay.id}:refund` };
    return {
      billableSeconds,
      amount: 0,
      commands: [refund],
      payments: [entry("refund", pay.amount, "refunded")],
    };
  }
  const amount = chargeFor(billableSeconds, cfg.ratePerMinute, pay.amount);
  if (amount === 0) {
    const cancel: Command = { type: "cancel_payment", paymentId: pay.id, idempotencyKey: `${pay.id}:cancel` };
    return { billableSeconds, amount, commands: [cancel], payments: [entry("cancel", 0, "canceled")] };
  }
  const capture: Command = {
    type: "capture_payment",
    paymentId: pay.id,
    amount,
    idempotencyKey: `${pay.id}:capture`,
  };
  return { billableSeconds, amount, commands: [capture], payments: [entry("capture", amount, "succeeded")] };
}

/** Settles the call; callers add the hang-ups they need before this. */
export function settle(
  state: AdviceState,
  ctx: AdviceCtx,
  outcome: Outcome,
  before: Command[] = [],
): StepResult<AdviceState> {
  const m = money(state, ctx, outcome.endedAt);
  const agentCommands: Command[] = state.agent
    ? [{ type: "release_agent", lineId: ctx.line.id, agentId: state.agent.id }]
    : [];
  const queueCommands: Command[] =
    state.phase === "queued" ? [{ type: "leave_hold_queue", lineId: ctx.line.id }] : [];
  const logging: Command[] = state.phase === "card" ? [{ type: "log_sensitive", on: false }] : [];
  const payments = [...state.payments, ...m.payments];
  const record = callRecord(state, ctx, outcome, m, payments);
  return {
    state: { ...state, phase: "settling", payments, menu: null, card: null, pending: outcome },
    commands: [
      ...before,
      ...clearTimers(...TIMERS),
      ...queueCommands,
      ...agentCommands,
      ...logging,
      { type: "forget_card" },
      ...m.commands,
      { type: "record_call", record },
    ],
  };
}

function callRecord(
  state: AdviceState,
  ctx: AdviceCtx,
  outcome: Outcome,
  m: Money,
  payments: PaymentRecord[],
): CallRecord {
  const caller = state.caller;
  return {
    lineId: ctx.line.id,
    product: ctx.line.product,
    callerNumber: caller?.from ?? "",
    calledNumber: caller?.to ?? ctx.line.number,
    startedAt: caller?.startedAt ?? outcome.endedAt,
    answeredAt: caller?.answeredAt ?? null,
    talkStartedAt: state.talk?.startedAt ?? null,
    endedAt: outcome.endedAt,
    billableSeconds: m.billableSeconds,
    amount: m.amount,
    currency: ctx.line.config.currency,
    status: outcome.status,
    hangupCause: outcome.cause,
    agentId: state.talk ? (state.agent?.id ?? null) : null,
    cardBrand: state.cardBrand,
    cardLast4: state.cardLast4,
    paymentId: state.payment?.id ?? null,
    payments,
    voicemail: state.voicemail,
  };
}

/** Speak a last message, then hang up and settle (on speak_ended, or the backstop timer). */
export function goodbye(
  state: AdviceState,
  ctx: AdviceCtx,
  text: string,
  status: CallStatus,
  extra: Command[] = [],
): StepResult<AdviceState> {
  return {
    state: {
      ...state,
      phase: "goodbye",
      menu: null,
      card: null,
      pending: { status, endedAt: ctx.now, cause: null },
    },
    commands: [...extra, say(callerLeg(state), text), setTimer("goodbye", ctx.now + GOODBYE_BACKSTOP_MS)],
  };
}

/** The goodbye speech ended (or its backstop fired): we hang up the caller and settle. */
export function finishGoodbye(state: AdviceState, ctx: AdviceCtx, at: number): StepResult<AdviceState> {
  const status = state.pending?.status ?? "abandoned";
  const hangup: Command = { type: "hangup", leg: callerLeg(state) };
  return settle(state, ctx, { status, endedAt: at, cause: "normal_clearing" }, [hangup]);
}

/** The caller hung up before any talk: free everything; the status says how far they got. */
export function callerGone(
  state: AdviceState,
  e: Extract<CallEvent, { type: "leg_hung_up" }>,
  ctx: AdviceCtx,
) {
  const status: CallStatus = state.pending?.status ?? (state.payment ? "no_agent" : "abandoned");
  const ringing: Command[] = state.agent?.leg ? [{ type: "hangup", leg: state.agent.leg }] : [];
  return settle(state, ctx, { status, endedAt: e.at, cause: e.cause }, ringing);
}

/** A rep's leg that shows up after the call ended (dialled just before the caller left): end it. */
export function hangUpLateLeg(
  state: AdviceState,
  e: Extract<CallEvent, { leg: unknown }>,
): StepResult<AdviceState> {
  return { state, commands: [{ type: "hangup", leg: e.leg }] };
}

export function settled(state: AdviceState): StepResult<AdviceState> {
  return { state: { ...state, phase: "done" }, commands: [] };
}

/** A rep reserved or offered when we no longer want one (caller gone, already connected): free them. */
export function releaseUnwanted(
  state: AdviceState,
  e: Extract<CallEvent, { type: "agent_reserved" | "agent_offered" }>,
  ctx: AdviceCtx,
): StepResult<AdviceState> {
  return { state, commands: [{ type: "release_agent", lineId: ctx.line.id, agentId: e.agentId }] };
}
