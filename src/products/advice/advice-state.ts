/**
 * The advice flow's persisted state and the figures derived from config (hold amount, talk limit).
 * Never holds card digits: only brand and last 4. Plain JSON so the shell can store it as is.
 */
import { secondsAffordable } from "../../billing/rating";
import type { CardCaptureState } from "../../ivr/card-capture";
import type { CollectDigitsState } from "../../ivr/collect-digits";
import type { CallStatus, FlowContext, LegId, PaymentRecord } from "../../ivr/types";
import type { AdviceConfig } from "./config";

export type AdviceCtx = FlowContext<AdviceConfig>;

export type AdvicePhase =
  | "idle"
  | "answering"
  | "welcome"
  | "terms"
  | "card"
  | "authorizing"
  | "retry_menu"
  | "reserving"
  | "connecting"
  | "queued"
  | "talking"
  | "cutting_off"
  | "voicemail_prompt"
  | "recording"
  | "goodbye"
  | "transferring"
  | "awaiting_payment"
  | "awaiting_recording"
  | "settling"
  | "done";

export interface Outcome {
  status: CallStatus;
  endedAt: number;
  cause: string | null;
}

export interface AdviceState {
  phase: AdvicePhase;
  caller: { leg: LegId; from: string; to: string; startedAt: number; answeredAt: number | null } | null;
  /** A small menu in progress (terms, payment retry). */
  menu: CollectDigitsState | null;
  card: CardCaptureState | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** Payment attempt number: new card data → new attempt → new idempotency key. */
  attempt: number;
  retriedUnavailable: boolean;
  payment: { id: string; amount: number } | null;
  /** This attempt's payment, prepared at Stripe and not yet confirmed (a retry confirms it again). */
  prepared: string | null;
  /** Payments prepared on this call and not known to be settled: released at the end unless taken. */
  openIntents: string[];
  payments: PaymentRecord[];
  agent: {
    id: string;
    name: string;
    destination: string;
    leg: LegId | null;
    answeredAt: number | null;
  } | null;
  /** Reps already dialled on this call; excluded from the next reservation. */
  tried: string[];
  bridgedAt: number | null;
  talk: { startedAt: number; limitSec: number; minutes: number; warned: boolean } | null;
  queue: { deadline: number } | null;
  voicemail: { url: string; durationSec: number } | null;
  /** Speak commands on the caller's leg not yet reported ended (Telnyx queues consecutive speaks). */
  speaking: number;
  /** Decided before the call could end (goodbye speech, recording upload): settled with these. */
  pending: Outcome | null;
}

export function initialAdviceState(): AdviceState {
  return {
    phase: "idle",
    caller: null,
    menu: null,
    card: null,
    cardBrand: null,
    cardLast4: null,
    attempt: 1,
    retriedUnavailable: false,
    payment: null,
    prepared: null,
    openIntents: [],
    payments: [],
    agent: null,
    tried: [],
    bridgedAt: null,
    talk: null,
    queue: null,
    voicemail: null,
    speaking: 0,
    pending: null,
  };
}

/** Telnyx's own ceiling for a leg's time_limit_secs; also our longest call. */
export const MAX_TALK_SEC = 14_400;

/** The amount held (per minute) or charged (flat rate) before the caller reaches a rep. */
export const holdAmount = (cfg: AdviceConfig): number =>
  cfg.billing === "per_minute" ? cfg.preauthAmount : cfg.flatFee;

/** Longest talk: what the hold pays for (per minute) or the flat rate's maximum. */
export function talkLimitSec(cfg: AdviceConfig): number {
  const limit =
    cfg.billing === "per_minute"
      ? secondsAffordable(cfg.preauthAmount, cfg.ratePerMinute, cfg.increment)
      : cfg.maxMinutes * 60;
  return Math.min(limit, MAX_TALK_SEC);
}

/** The caller's leg; flows only reach phases that use it after call_started set it. */
export function callerLeg(state: AdviceState): LegId {
  if (!state.caller) throw new Error("advice flow: caller leg used before call_started");
  return state.caller.leg;
}

export function isCallerLeg(state: AdviceState, leg: LegId): boolean {
  return state.caller?.leg === leg;
}

/** An event about the rep we are dialling or talking to (not a late one from an earlier rep). */
export function isCurrentAgent(state: AdviceState, event: { leg: LegId; role: string }): boolean {
  const agent = state.agent;
  if (!agent || event.role !== `agent:${agent.id}`) return false;
  return agent.leg === null || agent.leg === event.leg;
}
