/**
 * The advice flow's persisted state and the figures derived from config (hold amount, talk limit).
 * Never holds card digits: only brand and last 4. Plain JSON so the shell can store it as is.
 * Reaching a rep and the metered talk are the shared machines' states (connect, talk).
 */
import { platformFeeOf } from "../../billing/platform-fee";
import { secondsAffordable } from "../../billing/rating";
import type { CardCommand, CardEvent, PaymentPayee } from "../../card-payments/vocabulary";
import type { SecurePayments } from "../../secure-payments/payment-view";
import type { SecurePaymentCommand, SecurePaymentEvent } from "../../secure-payments/vocabulary";
import type { CardCaptureState } from "../../card-payments/card-capture";
import type { CollectDigitsState } from "../../ivr/collect-digits";
import type { ConnectAgent, ConnectState } from "../../ivr/connect-agent";
import type { TalkState } from "../../ivr/metered-talk";
import type { VoiceQuestionsState } from "../../ivr/voice-questions";
import type {
  CallStatus,
  EndedBy,
  EngineEvent,
  FlowContext,
  LegId,
  PaymentRecord,
  StepResult,
} from "../../ivr/types";
import type { AdviceConfig } from "./config";

export type AdviceCtx = FlowContext<AdviceConfig>;
/** The advice flow hears the engine's events and the card-payments capability's. */
export type AdviceEvent = EngineEvent | CardEvent | SecurePaymentEvent;
/** Card payments (the hold before talk) and the secure payments a rep can take during talk. */
export type AdviceCommand = CardCommand | SecurePaymentCommand;
export type AdviceResult = StepResult<AdviceState, AdviceCommand>;

export type AdvicePhase =
  | "idle"
  | "answering"
  | "welcome"
  | "terms"
  | "card"
  | "questions"
  | "authorizing"
  | "retry_menu"
  | "decline_menu"
  | "reserving"
  | "connecting"
  | "queued"
  | "talking"
  | "voicemail_prompt"
  | "recording"
  | "goodbye"
  | "transferring"
  | "awaiting_payment"
  | "awaiting_recording"
  | "settling"
  | "done";

/** What follows a set of voice questions: the terms, the card, or reaching a rep. */
export type QuestionsThen = "terms" | "card" | "rep";

export interface Outcome {
  status: CallStatus;
  endedAt: number;
  cause: string | null;
  by: EndedBy | null;
}

export interface AdviceState {
  phase: AdvicePhase;
  caller: { leg: LegId; from: string; to: string; startedAt: number; answeredAt: number | null } | null;
  /** A small menu in progress (terms, payment retry, another card). */
  menu: CollectDigitsState | null;
  card: CardCaptureState | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** Card entries so far on this call: new card data → new attempt → new idempotency key. */
  attempt: number;
  /** Retries of this attempt after "processor unavailable": each gets a fresh key (Stripe replays a 500). */
  unavailableTries: number;
  payment: { id: string; amount: number } | null;
  /** This attempt's payment, prepared at Stripe and not yet confirmed (a retry confirms it again). */
  prepared: string | null;
  /** Payments prepared on this call and not known to be settled: released at the end unless taken. */
  openIntents: string[];
  payments: PaymentRecord[];
  connect: ConnectState | null;
  /** The rep the caller talks to, once connected. */
  agent: ConnectAgent | null;
  talk: TalkState | null;
  voicemail: { url: string; durationSec: number } | null;
  /** Voice questions being asked, and what comes after them (optional: states saved before them). */
  questions?: { machine: VoiceQuestionsState; then: QuestionsThen } | null;
  /** Answers to the line's voice questions so far, by field. */
  answers?: Record<string, string | null>;
  /** Speak commands on the caller's leg not yet reported ended (Telnyx queues consecutive speaks). */
  speaking: number;
  /** Decided before the call could end (goodbye speech, recording upload): settled with these. */
  pending: Outcome | null;
  /** Settling: the money operations sent and not yet answered, and what the talk was billed. */
  settling: { outcome: Outcome; awaiting: number; billableSeconds: number; amount: number } | null;
  /** Secure payments the rep asked for during talk (absent in states stored before them). */
  securePayments?: SecurePayments;
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
    unavailableTries: 0,
    payment: null,
    prepared: null,
    openIntents: [],
    payments: [],
    connect: null,
    agent: null,
    talk: null,
    voicemail: null,
    questions: null,
    answers: {},
    speaking: 0,
    pending: null,
    settling: null,
  };
}

/** Telnyx's own ceiling for a leg's time_limit_secs; also our longest call. */
export const MAX_TALK_SEC = 14_400;

/** The amount held (per minute) or charged (flat rate) before the caller reaches a rep. */
/**
 * A merchant's line: the payment goes to its connected account, the platform's fee sized to
 * `amount` (what is charged, or captured). Nothing on a platform line.
 */
export function payeeFor(ctx: AdviceCtx, amount: number): { payee?: PaymentPayee } {
  const payee = ctx.line.payee;
  if (!payee) return {};
  return {
    payee: {
      account: payee.accountId,
      applicationFee: platformFeeOf(amount, ctx.line.config.platformFeeBasisPoints),
    },
  };
}

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

/** Card attempts the caller may still make (the line's maxTries bounds every call). */
export const attemptsLeft = (state: AdviceState, cfg: AdviceConfig): number => cfg.maxTries - state.attempt;
