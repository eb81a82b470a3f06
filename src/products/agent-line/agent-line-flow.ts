/**
 * The invoiced agent line as one transition table, read top to bottom: answer → welcome → who is
 * calling (number, directory, or a customer code with its lockout) → blacklist and credit checks
 * → credit reserved → an agent (the shared connect machine) → talk funded by the credit, extended
 * while credit remains, warned and cut off when it runs out → one order (and at the credit limit
 * an invoice) → the call record. Rows not listed are ignored (late or repeated webhooks).
 */
import { releaseUnwanted } from "../../ivr/connect-agent";
import { rowsFor, stepByTable, type Row } from "../../ivr/transition-table";
import type { Flow, LegId } from "../../ivr/types";
import { abandonConnect, connecting } from "./agent-line-connect";
import {
  answer,
  callerGone,
  codeChecked,
  creditRefused,
  creditReserved,
  enterCode,
  identified,
  identify,
  transferToService,
  welcome,
} from "./agent-line-entry";
import { finishGoodbye, goodbye, hangUpLateLeg, orderSettled } from "./agent-line-settle";
import {
  initialAgentLineState,
  isCallerLeg,
  type AgentLineCtx,
  type AgentLineFlowCommand,
  type AgentLineFlowEvent,
  type AgentLineOwnEvent,
  type AgentLinePhase,
  type AgentLineResult,
  type AgentLineState,
} from "./agent-line-state";
import { moreCredit, talking } from "./agent-line-talk";
import { texts } from "./agent-line-texts";
import type { AgentLineConfig } from "./config";
import { withSecurePayments } from "../../secure-payments/during-talk";
import { paymentDetail } from "../../secure-payments/payment-view";
import { agentLinePayments, paymentSettings } from "./agent-line-payments";

const on = rowsFor<AgentLineState, AgentLineCtx, AgentLineFlowEvent, AgentLineFlowCommand>();

type Leg = { leg: LegId };
const fromCaller = (s: AgentLineState, e: Leg) => isCallerLeg(s, e.leg);
const speechDone = (s: AgentLineState, e: Leg) => fromCaller(s, e) && s.speaking === 0;
const anyAgentLeg = (_s: AgentLineState, e: { role: string }) => e.role.startsWith("agent:");

const BEFORE_AGENT: AgentLinePhase[] = [
  "answering",
  "welcome",
  "identifying",
  "code",
  "checking_code",
  "reserving_credit",
  "goodbye",
  "transferring",
];
const CONNECTING: AgentLinePhase[] = ["reserving", "connecting", "queued"];

function tooLong(state: AgentLineState, ctx: AgentLineCtx): AgentLineResult {
  const stop = abandonConnect(state, ctx);
  const code = state.phase === "code" ? [{ type: "log_sensitive", on: false } as const] : [];
  return goodbye(stop.state, ctx, texts.tooLong, "timed_out", [...stop.commands, ...code]);
}

export const agentLineTable: Row<AgentLineState, AgentLineCtx, AgentLineFlowEvent, AgentLineFlowCommand>[] = [
  // Answer and welcome, then who is calling
  on("idle", "call_started", answer),
  on("answering", "leg_answered", welcome, fromCaller),
  on("welcome", "speak_ended", (s) => identify(s), speechDone),
  on("identifying", "caller_identified", identified),
  on("code", "digits_gathered", enterCode, fromCaller),
  on("checking_code", "code_checked", codeChecked),
  on("transferring", "speak_ended", transferToService, speechDone),
  // The first credit for the call, then an agent (the shared connect machine)
  on("reserving_credit", "credit_reserved", creditReserved),
  on("reserving_credit", "credit_refused", creditRefused),
  on(
    [...BEFORE_AGENT.filter((p) => p !== "goodbye" && p !== "transferring"), ...CONNECTING],
    "timer:pre_talk_limit",
    (s, _e, ctx) => tooLong(s, ctx),
  ),
  on(CONNECTING, "*", connecting),
  // Talk funded by the credit: more reserved as it goes; warned and cut off when none is left
  on("talking", "credit_reserved", moreCredit),
  on("talking", "credit_refused", (s) => ({
    state: { ...s, credit: { ...s.credit, asking: false } },
    commands: [],
  })),
  // …and the secure payments the agent may ask for (talk, and the credit clock, paused meanwhile)
  on("talking", "*", withSecurePayments(agentLinePayments, talking)),
  // Last words, and the caller leaving before an agent
  on("goodbye", "speak_ended", (s, e, ctx) => finishGoodbye(s, ctx, e.at), speechDone),
  on("goodbye", "timer:goodbye", (s, e, ctx) => finishGoodbye(s, ctx, e.at)),
  on(BEFORE_AGENT, "leg_hung_up", callerGone, fromCaller),
  // Settling: the order is written, then the record → done
  on("settling", "order_settled", orderSettled),
  on(["settling", "done"], ["leg_dialled", "leg_answered"], hangUpLateLeg, anyAgentLeg),
  on("settling", "call_settled", (s) => ({ state: { ...s, phase: "done" }, commands: [] })),
  on("any", ["agent_reserved", "agent_offered"], (s, e, ctx) => ({
    state: s,
    commands: releaseUnwanted({ lineId: ctx.line.id }, s.agent?.id ?? s.connect?.agent?.id ?? null, e),
  })),
];

function step(state: AgentLineState, event: AgentLineFlowEvent, ctx: AgentLineCtx): AgentLineResult {
  const spoken = event.type === "speak_ended" && fromCaller(state, event) && state.speaking > 0;
  const before = spoken ? { ...state, speaking: state.speaking - 1 } : state;
  const result = stepByTable(agentLineTable, before, event, ctx);
  const leg = result.state.caller?.leg;
  const added = result.commands.filter((c) => c.type === "speak" && c.leg === leg).length;
  return added ? { ...result, state: { ...result.state, speaking: result.state.speaking + added } } : result;
}

export const agentLineFlow: Flow<AgentLineState, AgentLineConfig, AgentLineFlowCommand, AgentLineOwnEvent> = {
  name: "agent_line",
  stateVersion: 1,
  init: () => initialAgentLineState(),
  step,
  isDone: (state) => state.phase === "done",
  // A paused talk (a secure payment) has no known end yet: the liveness checks watch it meanwhile.
  deadline: (state) =>
    state.talk?.limitAt && state.talk.pausedSince === null ? state.talk.limitAt + 120_000 : null,
  view: (state, line) => ({
    phase: state.phase,
    step: state.connect?.step ?? null,
    talk: state.talk
      ? { startedAt: state.talk.startedAt, limitAt: state.talk.limitAt, pausedSince: state.talk.pausedSince }
      : null,
    agentId: state.agent?.id ?? null,
    detail: {
      customer: state.customer?.id ?? null,
      identified_by: state.identifiedBy,
      ...paymentDetail(state.securePayments, paymentSettings(line.config)),
    },
  }),
};
