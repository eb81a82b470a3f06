/**
 * Ending an advice call, once: take or release the money (capture what the talk cost, cancel an
 * unused hold, refund a flat fee nobody earned, release what a lost answer may have left), free
 * the rep, then — once Stripe has answered every operation — write the call record, which says
 * what really happened (a refusal is recorded as refused). Keys derive from the payment id.
 */
import { chargeFor, roundUpToIncrement } from "../../billing/rating";
import type { CardCommand, CardEvent } from "../../card-payments/vocabulary";
import { clearTimers, setTimer } from "../../ivr/commands";
import { CONNECT_TIMERS, releaseHeld } from "../../ivr/connect-agent";
import { talkedSeconds, TALK_TIMERS } from "../../ivr/metered-talk";
import { say } from "../../ivr/prompts";
import type {
  CallRecord,
  CallStatus,
  EngineCommand,
  EngineEvent,
  LegId,
  PaymentRecord,
} from "../../ivr/types";
import {
  callerLeg,
  payeeFor,
  type AdviceCommand,
  type AdviceCtx,
  type AdviceResult,
  type AdviceState,
  type Outcome,
} from "./advice-state";

/** Every timer the flow may have set; settling clears them all. */
export const TIMERS = [
  ...TALK_TIMERS,
  ...CONNECT_TIMERS,
  "voicemail_end",
  "recording_wait",
  "goodbye",
  "pre_talk_limit",
];
export const GOODBYE_BACKSTOP_MS = 30_000;

type MoneyCommand = Extract<
  CardCommand,
  { type: "capture_payment" | "cancel_payment" | "refund_payment" | "release_payment" }
>;

interface Billing {
  billableSeconds: number;
  /** What the talk costs (per minute) or what the flat fee keeps. */
  amount: number;
  commands: MoneyCommand[];
}

function takeMoney(state: AdviceState, ctx: AdviceCtx, endedAt: number): Billing {
  const cfg = ctx.line.config;
  const pay = state.payment;
  const talked = state.talk ? talkedSeconds(state.talk, endedAt) : 0;
  const billableSeconds = roundUpToIncrement(talked, cfg.increment);
  // Prepared payments left open (a confirmation whose answer was lost): undo whatever they did.
  const releases: MoneyCommand[] = state.openIntents
    .filter((id) => id !== pay?.id)
    .map((id) => ({ type: "release_payment", paymentId: id, idempotencyKey: `${id}:release` }));
  if (!pay) return { billableSeconds, amount: 0, commands: releases };
  if (cfg.billing === "flat_rate") {
    if (state.talk) return { billableSeconds, amount: pay.amount, commands: releases };
    const refund: MoneyCommand = {
      type: "refund_payment",
      paymentId: pay.id,
      amount: pay.amount,
      idempotencyKey: `${pay.id}:refund`,
    };
    return { billableSeconds, amount: 0, commands: [refund, ...releases] };
  }
  const amount = chargeFor(billableSeconds, cfg.ratePerMinute, pay.amount);
  const take: MoneyCommand =
    amount === 0
      ? { type: "cancel_payment", paymentId: pay.id, idempotencyKey: `${pay.id}:cancel` }
      : {
          type: "capture_payment",
          paymentId: pay.id,
          amount,
          idempotencyKey: `${pay.id}:capture`,
          ...captureFee(ctx, amount),
        };
  return { billableSeconds, amount, commands: [take, ...releases] };
}

/** A merchant's hold: the platform's fee on what is captured (Stripe would keep the hold's). */
function captureFee(ctx: AdviceCtx, amount: number): { applicationFee?: number } {
  const payee = payeeFor(ctx, amount).payee;
  return payee ? { applicationFee: payee.applicationFee } : {};
}

/** Settles the call; callers add the hang-ups they need before this. */
export function settle(
  state: AdviceState,
  ctx: AdviceCtx,
  outcome: Outcome,
  before: (EngineCommand | AdviceCommand)[] = [],
): AdviceResult {
  const billing = takeMoney(state, ctx, outcome.endedAt);
  const held = state.agent ?? state.connect?.agent ?? null;
  const cleanup: (EngineCommand | AdviceCommand)[] = [
    ...before,
    ...clearTimers(...TIMERS),
    ...(state.phase === "queued" ? [{ type: "leave_hold_queue", lineId: ctx.line.id } as const] : []),
    ...releaseHeld({ lineId: ctx.line.id }, held),
    ...(state.phase === "card" ? [{ type: "log_sensitive", on: false } as const] : []),
    { type: "forget_card" },
    ...billing.commands,
  ];
  const next: AdviceState = {
    ...state,
    phase: "settling",
    menu: null,
    card: null,
    connect: null,
    pending: outcome,
    settling: {
      outcome,
      awaiting: billing.commands.length,
      billableSeconds: billing.billableSeconds,
      amount: billing.amount,
    },
  };
  if (billing.commands.length > 0) return { state: next, commands: cleanup };
  return { state: next, commands: [...cleanup, { type: "record_call", record: callRecord(next, ctx) }] };
}

/** Stripe answered one settling operation: note what really happened; the last answer writes the record. */
export function moneyAnswered(
  state: AdviceState,
  e: Extract<CardEvent, { type: "payment_settled" | "payment_refused" }>,
  ctx: AdviceCtx,
): AdviceResult {
  const settling = state.settling;
  if (!settling || settling.awaiting === 0) return { state, commands: [] };
  const currency = ctx.line.config.currency;
  const entry: PaymentRecord =
    e.type === "payment_refused"
      ? {
          paymentId: e.paymentId,
          kind: e.operation,
          amount: 0,
          currency,
          status: "refused",
          code: e.code,
          at: e.at,
        }
      : {
          paymentId: e.paymentId,
          kind: e.operation,
          amount: e.operation === "capture" || e.operation === "refund" ? e.amount : 0,
          currency,
          status: STATUS_AFTER[e.operation],
          at: e.at,
        };
  const next: AdviceState = {
    ...state,
    payments: [...state.payments, entry],
    settling: { ...settling, awaiting: settling.awaiting - 1 },
  };
  if (next.settling && next.settling.awaiting > 0) return { state: next, commands: [] };
  return { state: next, commands: [{ type: "record_call", record: callRecord(next, ctx) }] };
}

const STATUS_AFTER = {
  capture: "succeeded",
  cancel: "canceled",
  refund: "refunded",
  release: "released",
} as const;

/** What was really collected: the capture that went through, or the flat fee that was not refunded. */
function collected(state: AdviceState, ctx: AdviceCtx): number {
  const pay = state.payment;
  if (!pay) return 0;
  const entry = (kind: PaymentRecord["kind"]) =>
    state.payments.find((p) => p.paymentId === pay.id && p.kind === kind);
  if (ctx.line.config.billing === "flat_rate") return entry("refund")?.status === "refunded" ? 0 : pay.amount;
  const capture = entry("capture");
  return capture?.status === "succeeded" ? capture.amount : 0;
}

function callRecord(state: AdviceState, ctx: AdviceCtx): CallRecord {
  const caller = state.caller;
  const settling = state.settling;
  const outcome: Outcome = settling?.outcome ?? { status: "failed", endedAt: ctx.now, cause: null, by: null };
  return {
    lineId: ctx.line.id,
    product: ctx.line.product,
    callerNumber: caller?.from ?? "",
    calledNumber: caller?.to ?? ctx.line.number,
    startedAt: caller?.startedAt ?? outcome.endedAt,
    answeredAt: caller?.answeredAt ?? null,
    talkStartedAt: state.talk?.startedAt ?? null,
    endedAt: outcome.endedAt,
    billableSeconds: settling?.billableSeconds ?? 0,
    amount: collected(state, ctx),
    currency: ctx.line.config.currency,
    status: outcome.status,
    hangupCause: outcome.cause,
    endedBy: outcome.by,
    agentId: state.talk ? (state.agent?.id ?? null) : null,
    cardBrand: state.cardBrand,
    cardLast4: state.cardLast4,
    paymentId: state.payment?.id ?? null,
    payments: state.payments,
    voicemail: state.voicemail,
    answers: state.answers ?? {},
    ...merchantShare(ctx, collected(state, ctx)),
  };
}

/** The merchant the money went to, and the fee Stripe kept for the platform on what was kept. */
function merchantShare(ctx: AdviceCtx, kept: number): { merchantId?: string; applicationFee?: number } {
  const payee = ctx.line.payee;
  if (!payee) return {};
  return { merchantId: payee.merchantId, applicationFee: payeeFor(ctx, kept).payee?.applicationFee ?? 0 };
}

/** Speak a last message, then hang up and settle (on speak_ended, or the backstop timer). */
export function goodbye(
  state: AdviceState,
  ctx: AdviceCtx,
  text: string,
  status: CallStatus,
  extra: (EngineCommand | AdviceCommand)[] = [],
): AdviceResult {
  return {
    state: {
      ...state,
      phase: "goodbye",
      menu: null,
      card: null,
      pending: { status, endedAt: ctx.now, cause: null, by: "system" },
    },
    commands: [...extra, say(callerLeg(state), text), setTimer("goodbye", ctx.now + GOODBYE_BACKSTOP_MS)],
  };
}

/** The goodbye speech ended (or its backstop fired): we hang up the caller and settle. */
export function finishGoodbye(state: AdviceState, ctx: AdviceCtx, at: number): AdviceResult {
  const status = state.pending?.status ?? "abandoned";
  const hangup: EngineCommand = { type: "hangup", leg: callerLeg(state) };
  return settle(state, ctx, { status, endedAt: at, cause: "normal_clearing", by: "system" }, [hangup]);
}

/** The caller hung up before any talk: free everything; the status says how far they got. */
export function callerGone(
  state: AdviceState,
  e: Extract<EngineEvent, { type: "leg_hung_up" }>,
  ctx: AdviceCtx,
): AdviceResult {
  const status: CallStatus = state.pending?.status ?? (state.payment ? "no_agent" : "abandoned");
  return settle(state, ctx, { status, endedAt: e.at, cause: e.cause, by: "caller" });
}

/** A rep's leg that shows up after the call ended (dialled just before the caller left): end it. */
export function hangUpLateLeg(state: AdviceState, e: { leg: LegId }): AdviceResult {
  return { state, commands: [{ type: "hangup", leg: e.leg }] };
}

export function settled(state: AdviceState): AdviceResult {
  return { state: { ...state, phase: "done" }, commands: [] };
}

/** A rep reserved or offered when we no longer want one (caller gone, already connected): free them. */
export function releaseUnwantedAgent(
  state: AdviceState,
  e: Extract<EngineEvent, { type: "agent_reserved" | "agent_offered" }>,
  ctx: AdviceCtx,
): AdviceResult {
  const held = state.agent?.id ?? state.connect?.agent?.id ?? null;
  return {
    state,
    commands: held === e.agentId ? [] : [{ type: "release_agent", lineId: ctx.line.id, agentId: e.agentId }],
  };
}
