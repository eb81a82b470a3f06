/**
 * The agent line's persisted state: the caller, who they turned out to be, the credit reserved
 * for this call, and the shared connect and talk machines' states. Plain JSON; never a customer
 * code (it lives in the call's memory only while it is checked).
 */
import type { CollectDigitsState } from "../../ivr/collect-digits";
import type { ConnectAgent, ConnectState } from "../../ivr/connect-agent";
import type { TalkState } from "../../ivr/metered-talk";
import type { CallStatus, EndedBy, EngineEvent, FlowContext, LegId, StepResult } from "../../ivr/types";
import type { CardCommand, CardEvent } from "../../card-payments/vocabulary";
import type { SecurePayments } from "../../secure-payments/payment-view";
import type { SecurePaymentCommand, SecurePaymentEvent } from "../../secure-payments/vocabulary";
import type { AgentLineConfig } from "./config";
import type { AgentLineCommand, AgentLineEvent, CustomerView } from "./vocabulary";

export type AgentLineCtx = FlowContext<AgentLineConfig>;
/** The line's own vocabulary, and that of the secure payments its agents can take mid-call. */
export type AgentLineOwnEvent = AgentLineEvent | CardEvent | SecurePaymentEvent;
export type AgentLineFlowEvent = EngineEvent | AgentLineOwnEvent;
export type AgentLineFlowCommand = AgentLineCommand | CardCommand | SecurePaymentCommand;
export type AgentLineResult = StepResult<AgentLineState, AgentLineFlowCommand>;

export type AgentLinePhase =
  | "idle"
  | "answering"
  | "welcome"
  | "identifying"
  | "code"
  | "checking_code"
  | "reserving_credit"
  | "reserving"
  | "connecting"
  | "queued"
  | "talking"
  | "goodbye"
  | "transferring"
  | "settling"
  | "done";

export interface Outcome {
  status: CallStatus;
  endedAt: number;
  cause: string | null;
  by: EndedBy | null;
}

export interface AgentLineState {
  phase: AgentLinePhase;
  caller: { leg: LegId; from: string; to: string; startedAt: number; answeredAt: number | null } | null;
  /** The customer-code entry in progress. */
  menu: CollectDigitsState | null;
  /** Wrong codes on this call (the lockout across calls is counted in Turso). */
  codeTries: number;
  customer: CustomerView | null;
  identifiedBy: "number" | "code" | null;
  /** Credit reserved for this call: `<session>:<n>` reservations, n = 1.. */
  credit: { reservations: number; total: number; asking: boolean };
  connect: ConnectState | null;
  agent: ConnectAgent | null;
  talk: TalkState | null;
  /** Speak commands on the caller's leg not yet reported ended. */
  speaking: number;
  pending: Outcome | null;
  /** Settling: waiting for the order (and maybe invoice) to be written. */
  settling: { outcome: Outcome; talkSeconds: number; billableSeconds: number; amount: number } | null;
  order: { id: string | null; invoiceId: string | null } | null;
  /** Secure payments the agent asked for during talk (absent in states stored before them). */
  securePayments?: SecurePayments;
}

export const initialAgentLineState = (): AgentLineState => ({
  phase: "idle",
  caller: null,
  menu: null,
  codeTries: 0,
  customer: null,
  identifiedBy: null,
  credit: { reservations: 0, total: 0, asking: false },
  connect: null,
  agent: null,
  talk: null,
  speaking: 0,
  pending: null,
  settling: null,
  order: null,
});

export function callerLeg(state: AgentLineState): LegId {
  if (!state.caller) throw new Error("agent line: caller leg used before call_started");
  return state.caller.leg;
}

export const isCallerLeg = (state: AgentLineState, leg: LegId): boolean => state.caller?.leg === leg;
