/**
 * Ending an agent-line call, once: the talk is priced (the line's increment × the customer's
 * price, plus per-call articles), the order written and the call's credit released in one
 * settle_order (which drafts the invoice at the credit limit), then the call record. Also the
 * "say goodbye, then settle" path.
 */
import { clearTimers, setTimer } from "../../ivr/commands";
import { CONNECT_TIMERS, releaseHeld } from "../../ivr/connect-agent";
import { talkedSeconds, TALK_TIMERS } from "../../ivr/metered-talk";
import { say } from "../../ivr/prompts";
import type { CallRecord, CallStatus, EngineCommand, LegId } from "../../ivr/types";
import {
  callerLeg,
  type AgentLineCtx,
  type AgentLineResult,
  type AgentLineState,
  type Outcome,
} from "./agent-line-state";
import { orderAmount } from "./pricing";
import type { AgentLineCommand, AgentLineEvent } from "./vocabulary";

export const TIMERS = [...TALK_TIMERS, ...CONNECT_TIMERS, "goodbye", "pre_talk_limit"];

function record(state: AgentLineState, ctx: AgentLineCtx): CallRecord {
  const s = state.settling;
  const outcome = s?.outcome ?? { status: "failed", endedAt: ctx.now, cause: null, by: null };
  return {
    lineId: ctx.line.id,
    product: ctx.line.product,
    callerNumber: state.caller?.from ?? "",
    calledNumber: state.caller?.to ?? ctx.line.number,
    startedAt: state.caller?.startedAt ?? outcome.endedAt,
    answeredAt: state.caller?.answeredAt ?? null,
    talkStartedAt: state.talk?.startedAt ?? null,
    endedAt: outcome.endedAt,
    billableSeconds: s?.billableSeconds ?? 0,
    amount: state.order?.id ? (s?.amount ?? 0) : 0,
    currency: ctx.line.config.currency,
    status: outcome.status,
    hangupCause: outcome.cause,
    endedBy: outcome.by,
    agentId: state.talk ? (state.agent?.id ?? null) : null,
    cardBrand: null,
    cardLast4: null,
    paymentId: null,
    payments: [],
    voicemail: null,
  };
}

export function settle(
  state: AgentLineState,
  ctx: AgentLineCtx,
  outcome: Outcome,
  before: (EngineCommand | AgentLineCommand)[] = [],
): AgentLineResult {
  const customer = state.customer;
  const talkSeconds = state.talk ? talkedSeconds(state.talk, outcome.endedAt) : 0;
  const price = customer
    ? orderAmount(talkSeconds, ctx.line.config.increment, customer)
    : { billableSeconds: 0, amount: 0 };
  const held = state.agent ?? state.connect?.agent ?? null;
  const next: AgentLineState = {
    ...state,
    phase: "settling",
    menu: null,
    connect: null,
    settling: { outcome, talkSeconds, billableSeconds: price.billableSeconds, amount: price.amount },
  };
  const cleanup: (EngineCommand | AgentLineCommand)[] = [
    ...before,
    ...clearTimers(...TIMERS),
    ...(state.phase === "queued" ? [{ type: "leave_hold_queue", lineId: ctx.line.id } as const] : []),
    ...releaseHeld({ lineId: ctx.line.id }, held),
  ];
  // Without a customer there is no credit to release and nothing to bill: write the record now.
  if (!customer || state.credit.reservations === 0)
    return { state: next, commands: [...cleanup, { type: "record_call", record: record(next, ctx) }] };
  const order: AgentLineCommand = {
    type: "settle_order",
    customerId: customer.id,
    lineId: ctx.line.id,
    talkSeconds,
    billableSeconds: price.billableSeconds,
    articleNr: customer.articleNr,
    pricePerMinute: customer.pricePerMinute,
    extras: price.billableSeconds > 0 ? customer.perCall : 0,
    amount: price.amount,
    vatRateBp: customer.vatRateBp,
    nextCallMinimum: customer.pricePerMinute + customer.perCall,
  };
  return { state: next, commands: [...cleanup, order] };
}

/** The order (and maybe an invoice) is written: now the call record. */
export function orderSettled(
  state: AgentLineState,
  e: Extract<AgentLineEvent, { type: "order_settled" }>,
  ctx: AgentLineCtx,
): AgentLineResult {
  if (state.order) return { state, commands: [] };
  const next = { ...state, order: { id: e.orderId, invoiceId: e.invoiceId } };
  return { state: next, commands: [{ type: "record_call", record: record(next, ctx) }] };
}

export function goodbye(
  state: AgentLineState,
  ctx: AgentLineCtx,
  text: string,
  status: CallStatus,
  extra: (EngineCommand | AgentLineCommand)[] = [],
): AgentLineResult {
  return {
    state: {
      ...state,
      phase: "goodbye",
      menu: null,
      pending: { status, endedAt: ctx.now, cause: null, by: "system" },
    },
    commands: [...extra, say(callerLeg(state), text), setTimer("goodbye", ctx.now + 30_000)],
  };
}

export function finishGoodbye(state: AgentLineState, ctx: AgentLineCtx, at: number): AgentLineResult {
  const hangup: EngineCommand = { type: "hangup", leg: callerLeg(state) };
  return settle(
    state,
    ctx,
    { status: state.pending?.status ?? "abandoned", endedAt: at, cause: "normal_clearing", by: "system" },
    [hangup],
  );
}

export function hangUpLateLeg(state: AgentLineState, e: { leg: LegId }): AgentLineResult {
  return { state, commands: [{ type: "hangup", leg: e.leg }] };
}
