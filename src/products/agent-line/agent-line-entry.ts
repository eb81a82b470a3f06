/**
 * The agent line up to an agent: answer, welcome, who is calling (number → customer register →
 * address directory; else a customer code, with its lockout), the blacklist, the credit check, and
 * the first credit reservation. Each export is one handler the flow's table names.
 */
import { hangupLegs, setTimer } from "../../ivr/commands";
import { invalid, startCollect, stepCollect, valid, type CollectDigitsSpec } from "../../ivr/collect-digits";
import { startConnect } from "../../ivr/connect-agent";
import { say } from "../../ivr/prompts";
import type { EngineCommand, EngineEvent } from "../../ivr/types";
import { toE164 } from "../../phone/e164";
import { connectConfig } from "./agent-line-connect";
import { goodbye, settle } from "./agent-line-settle";
import { callerLeg, type AgentLineCtx, type AgentLineResult, type AgentLineState } from "./agent-line-state";
import { texts } from "./agent-line-texts";
import { nextReservation } from "./pricing";
import type { AgentLineCommand, AgentLineEvent, CustomerView } from "./vocabulary";

type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;
type Own<T extends AgentLineEvent["type"]> = Extract<AgentLineEvent, { type: T }>;

export function answer(state: AgentLineState, e: Ev<"call_started">, ctx: AgentLineCtx): AgentLineResult {
  // Caller ID becomes E.164 here, whatever form the network gave it.
  const from = toE164(e.from, ctx.line.config.country) ?? e.from;
  const caller = { leg: e.leg, from, to: e.to, startedAt: e.at, answeredAt: null };
  return {
    state: { ...state, phase: "answering", caller },
    commands: [
      { type: "answer", leg: e.leg },
      setTimer("pre_talk_limit", ctx.now + ctx.line.config.maxPreTalkSec * 1000),
    ],
  };
}

export function welcome(state: AgentLineState, e: Ev<"leg_answered">, ctx: AgentLineCtx): AgentLineResult {
  if (!state.caller) return { state, commands: [] };
  return {
    state: { ...state, phase: "welcome", caller: { ...state.caller, answeredAt: e.at } },
    commands: [say(e.leg, ctx.line.config.welcomeText)],
  };
}

export function identify(state: AgentLineState): AgentLineResult {
  return {
    state: { ...state, phase: "identifying" },
    commands: [{ type: "identify_caller", number: state.caller?.from ?? "" }],
  };
}

function codeSpec(ctx: AgentLineCtx, intro: string | null): CollectDigitsSpec {
  const n = ctx.line.config.codeLength;
  const prompt = texts.enterCode(ctx.line.config);
  return {
    prompt: intro ? `${intro} ${prompt}` : prompt,
    minDigits: n,
    // One more than the code, so a closing pound ends it like every other entry.
    maxDigits: n + 1,
    validate: (d) => (d.length === n ? valid : invalid(texts.wrongCode)),
    sensitive: true,
    maxTries: 2,
    timeoutMs: 10_000,
    interDigitTimeoutMs: 3_000,
  };
}

function askForCode(state: AgentLineState, ctx: AgentLineCtx, intro: string | null): AgentLineResult {
  const entry = startCollect(codeSpec(ctx, intro), callerLeg(state));
  return {
    state: { ...state, phase: "code", menu: entry.state },
    commands: [{ type: "log_sensitive", on: true }, ...entry.commands],
  };
}

/** No customer to bill: customer service (a transfer) when the line has one, else a message. */
function referToService(state: AgentLineState, ctx: AgentLineCtx, status: string): AgentLineResult {
  const stop: EngineCommand[] = state.phase === "code" ? [{ type: "log_sensitive", on: false }] : [];
  if (!ctx.line.config.customerServiceNumber)
    return goodbye({ ...state, menu: null }, ctx, texts.noService, status, stop);
  return {
    state: {
      ...state,
      phase: "transferring",
      menu: null,
      pending: { status, endedAt: ctx.now, cause: "transferred", by: "system" },
    },
    commands: [...stop, say(callerLeg(state), texts.toService)],
  };
}

export function transferToService(
  state: AgentLineState,
  e: Ev<"speak_ended">,
  ctx: AgentLineCtx,
): AgentLineResult {
  const to = ctx.line.config.customerServiceNumber;
  if (!to) return goodbye(state, ctx, texts.noService, state.pending?.status ?? "referred");
  const transfer: EngineCommand = {
    type: "transfer",
    leg: callerLeg(state),
    to,
    from: ctx.line.number,
    timeoutSecs: 30,
    role: "transfer:service",
  };
  return settle(
    state,
    ctx,
    { status: state.pending?.status ?? "referred", endedAt: e.at, cause: "transferred", by: "system" },
    [transfer],
  );
}

/** A known customer: blacklist, unpaid invoice, credit — then the first reservation. */
function admit(
  state: AgentLineState,
  customer: CustomerView,
  ctx: AgentLineCtx,
  by: "number" | "code",
): AgentLineResult {
  const cfg = ctx.line.config;
  const next = { ...state, customer, identifiedBy: by, menu: null };
  if (customer.blacklistPrompt)
    return goodbye(next, ctx, texts.barred(customer.blacklistPrompt), "blacklisted");
  if (customer.unpaid) return goodbye(next, ctx, texts.unpaid(customer.unpaid.amount, cfg), "unpaid_invoice");
  const minimum = customer.pricePerMinute + customer.perCall;
  if (customer.blocked || customer.available < minimum)
    return goodbye(next, ctx, texts.noCredit, "no_credit");
  const amount = nextReservation(customer.available, cfg.reserveBlockMinutes, customer, true);
  const reserve: AgentLineCommand = {
    type: "reserve_credit",
    customerId: customer.id,
    reservationId: `${ctx.sessionId}:1`,
    amount,
    minimum,
  };
  return {
    state: { ...next, phase: "reserving_credit", credit: { reservations: 1, total: 0, asking: true } },
    commands: [reserve],
  };
}

export function identified(
  state: AgentLineState,
  e: Own<"caller_identified">,
  ctx: AgentLineCtx,
): AgentLineResult {
  const who = e.identified;
  switch (who.kind) {
    case "customer":
      return admit(state, who.customer, ctx, "number");
    case "blacklisted":
      return goodbye(state, ctx, texts.barred(who.prompt), "blacklisted");
    case "locked":
      return goodbye(state, ctx, texts.locked, "locked_out");
    case "unknown":
      return askForCode(state, ctx, null);
  }
}

export function enterCode(
  state: AgentLineState,
  e: Ev<"digits_gathered">,
  ctx: AgentLineCtx,
): AgentLineResult {
  if (!state.menu) return { state, commands: [] };
  const step = stepCollect(codeSpec(ctx, null), state.menu, e);
  const next = { ...state, menu: step.state };
  if (step.entered !== undefined)
    return {
      state: { ...next, phase: "checking_code", menu: null },
      commands: [
        { type: "hold_customer_code", value: step.entered },
        { type: "log_sensitive", on: false },
        { type: "check_customer_code", number: state.caller?.from ?? "" },
      ],
    };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "hungUp":
      return settle(
        { ...next, menu: null },
        ctx,
        { status: "abandoned", endedAt: e.at, cause: "normal_clearing", by: "caller" },
        [{ type: "log_sensitive", on: false }],
      );
    default:
      // Star (no code) or nothing keyed: a person can help them.
      return referToService(next, ctx, "unidentified");
  }
}

export function codeChecked(
  state: AgentLineState,
  e: Own<"code_checked">,
  ctx: AgentLineCtx,
): AgentLineResult {
  const who = e.identified;
  if (who.kind === "customer") return admit(state, who.customer, ctx, "code");
  if (who.kind === "locked") return goodbye(state, ctx, texts.locked, "locked_out");
  if (who.kind !== "wrong") return referToService(state, ctx, "unidentified");
  const tries = state.codeTries + 1;
  if (tries >= ctx.line.config.codeTries)
    return referToService({ ...state, codeTries: tries }, ctx, "unidentified");
  return askForCode({ ...state, codeTries: tries }, ctx, texts.wrongCode);
}

/** The first credit for the call is reserved: on to an agent. */
export function creditReserved(
  state: AgentLineState,
  e: Own<"credit_reserved">,
  ctx: AgentLineCtx,
): AgentLineResult {
  const connect = startConnect(connectConfig(ctx), callerLeg(state));
  return {
    state: {
      ...state,
      phase: "reserving",
      credit: { ...state.credit, total: state.credit.total + e.amount, asking: false },
      connect: connect.state,
    },
    commands: [say(callerLeg(state), texts.connecting), ...connect.commands],
  };
}

export function creditRefused(
  state: AgentLineState,
  _e: Own<"credit_refused">,
  ctx: AgentLineCtx,
): AgentLineResult {
  return goodbye({ ...state, credit: { ...state.credit, asking: false } }, ctx, texts.noCredit, "no_credit");
}

export function callerGone(state: AgentLineState, e: Ev<"leg_hung_up">, ctx: AgentLineCtx): AgentLineResult {
  const stop: EngineCommand[] = state.phase === "code" ? [{ type: "log_sensitive", on: false }] : [];
  return settle(
    state,
    ctx,
    { status: state.pending?.status ?? "abandoned", endedAt: e.at, cause: e.cause, by: "caller" },
    [...stop, ...hangupLegs()],
  );
}
