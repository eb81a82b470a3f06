/**
 * The calling-card flow's persisted state: the caller, the card (account id and what it has
 * available, never the PIN), the call being placed (its reservation key, rate, reserved amount,
 * the dialled leg) and the talk. Plain JSON. One session can place several calls ("##").
 */
import type { CollectDigitsState } from "../../../ivr/collect-digits";
import type { TalkState } from "../../../ivr/metered-talk";
import type { EndedBy, EngineEvent, FlowContext, LegId, StepResult } from "../../../ivr/types";
import type { CardAccountInfo, CardCommand, CardEvent, RatedDestination } from "../card-vocabulary";
import type { CardConfig } from "../config";

export type CardCtx = FlowContext<CardConfig>;
export type CardFlowEvent = EngineEvent | CardEvent;
export type CardResult = StepResult<CardState, CardCommand>;

export type CardPhase =
  | "idle"
  | "answering"
  | "finding_card"
  | "pin"
  | "checking_pin"
  | "destination"
  | "rating"
  | "reserving"
  | "announcing"
  | "ringing"
  | "talking"
  | "settling_call"
  | "goodbye"
  | "ending"
  | "done";

export interface PlacedCall {
  /** `<session>:<n>`: the reservation's key, so a retried reserve or settle is a no-op. */
  key: string;
  rated: RatedDestination;
  reserved: number;
  limitSec: number;
  leg: LegId | null;
  answeredAt: number | null;
  bridgedAt: number | null;
}

export interface CardOutcome {
  status: string;
  endedAt: number;
  cause: string | null;
  by: EndedBy | null;
}

export interface CardState {
  phase: CardPhase;
  caller: { leg: LegId; from: string; to: string; startedAt: number; answeredAt: number | null } | null;
  entry: CollectDigitsState | null;
  /** PINs refused on this call (the lockout counts across calls in the database). */
  pinFailures: number;
  card: CardAccountInfo | null;
  destinationTries: number;
  /** Calls placed so far on this session (the next one's key is `<session>:<calls + 1>`). */
  calls: number;
  placed: PlacedCall | null;
  talk: TalkState | null;
  /** The last keys pressed during talk, to spot the next-call key ("##"). */
  keys: string;
  /** What the caller hears before the next prompt (why the last call ended, the balance). */
  notice: string | null;
  /** The caller hung up while a reservation was on its way: release it, then end. */
  callerLeft: CardOutcome | null;
  totals: { amount: number; billableSeconds: number; connected: number; firstTalkAt: number | null };
  speaking: number;
  pending: CardOutcome | null;
}

export function initialCardState(): CardState {
  return {
    phase: "idle",
    caller: null,
    entry: null,
    pinFailures: 0,
    card: null,
    destinationTries: 0,
    calls: 0,
    placed: null,
    talk: null,
    keys: "",
    notice: null,
    callerLeft: null,
    totals: { amount: 0, billableSeconds: 0, connected: 0, firstTalkAt: null },
    speaking: 0,
    pending: null,
  };
}

export function callerLeg(state: CardState): LegId {
  if (!state.caller) throw new Error("calling card flow: caller leg used before call_started");
  return state.caller.leg;
}

export const isCallerLeg = (state: CardState, leg: LegId): boolean => state.caller?.leg === leg;

/** The dialled leg's role: `dest:<n>` for the n-th call of the session. */
export const destRole = (n: number) => `dest:${n}` as const;
