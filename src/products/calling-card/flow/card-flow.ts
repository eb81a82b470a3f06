/**
 * The calling-card access line as one transition table, top to bottom: answer → the card (PIN,
 * or the caller's registered number) → its balance → the number to call → its rate → the
 * reservation → the minutes it buys → dial, bridged on answer → metered talk with the warning and
 * the cutoff at the balance → settle → "##" or the other side hanging up: the next number, without
 * the PIN again. Rows not listed are ignored (late or repeated webhooks).
 */
import { rowsFor, stepByTable, type Row } from "../../../ivr/transition-table";
import type { Flow, LegId } from "../../../ivr/types";
import type { CardCommand, CardEvent } from "../card-vocabulary";
import type { CardConfig } from "../config";
import { enterDestination, unrated } from "./card-destination";
import { dialOut, rated, reserved, reserveRefused, ringing } from "./card-dialling";
import { callerGone, finishGoodbye, settled } from "./card-end";
import {
  answer,
  answered,
  cardAccepted,
  cardRefused,
  cardUnavailable,
  enterPin,
  pinLost,
} from "./card-entry";
import {
  initialCardState,
  isCallerLeg,
  type CardCtx,
  type CardFlowEvent,
  type CardPhase,
  type CardResult,
  type CardState,
} from "./card-state";
import { callSettled, DEADLINE_MARGIN_MS, keyPressed, talking } from "./card-talk";

const on = rowsFor<CardState, CardCtx, CardFlowEvent, CardCommand>();

type Leg = { leg: LegId };
const fromCaller = (s: CardState, e: Leg) => isCallerLeg(s, e.leg);
/** The caller's speech queue has drained (see `step`: speak_ended is counted before the table). */
const speechDone = (s: CardState, e: Leg) => fromCaller(s, e) && s.speaking === 0;

/** Where the caller's hang-up ends the session (ringing and talking have their own rows). */
const BEFORE_TALK: CardPhase[] = [
  "answering",
  "finding_card",
  "pin",
  "checking_pin",
  "destination",
  "rating",
  "reserving",
  "announcing",
  "settling_call",
  "goodbye",
];

export const cardTable: Row<CardState, CardCtx, CardFlowEvent, CardCommand>[] = [
  // Answer; the card: a PIN (two-stage) or the caller's registered number (pinless, direct)
  on("idle", "call_started", answer),
  on("answering", "leg_answered", answered, fromCaller),
  on("pin", "digits_gathered", enterPin, fromCaller),
  on(["checking_pin", "finding_card"], "pin_accepted", cardAccepted),
  on(["checking_pin", "finding_card"], "pin_refused", cardRefused),
  on("checking_pin", "pin_lost", pinLost),
  on(["checking_pin", "finding_card"], "card_unavailable", cardUnavailable),
  // The number, its rate, the reservation, the minutes announced, the dial
  on("destination", "digits_gathered", enterDestination, fromCaller),
  on("rating", "destination_rated", rated),
  on("rating", "destination_unrated", unrated),
  on("reserving", "balance_reserved", reserved),
  on("reserving", "reserve_refused", reserveRefused),
  on("announcing", "speak_ended", dialOut, speechDone),
  // Ringing: answered and bridged → talk; busy, no answer, unknown, unreachable → a reason, no charge
  on("ringing", "*", ringing),
  // Talking (the shared talk machine): warning, cutoff at the balance, "##" for a next call
  on("talking", "dtmf_received", keyPressed, fromCaller),
  on("talking", "*", talking),
  // Settled on the card: the next number, or the end
  on("settling_call", "card_call_settled", callSettled),
  // Last words, and the caller leaving outside talk
  on("goodbye", "speak_ended", (s, e, ctx) => finishGoodbye(s, ctx, e.at), speechDone),
  on("goodbye", "timer:goodbye", (s, e, ctx) => finishGoodbye(s, ctx, e.at)),
  on(BEFORE_TALK, "leg_hung_up", callerGone, fromCaller),
  on("ending", "call_settled", settled),
];

/** Counts the caller's queued speeches, so "speech ended" rows wait for the last one. */
function step(state: CardState, event: CardFlowEvent, ctx: CardCtx): CardResult {
  const spoken = event.type === "speak_ended" && fromCaller(state, event) && state.speaking > 0;
  const before = spoken ? { ...state, speaking: state.speaking - 1 } : state;
  const result = stepByTable(cardTable, before, event, ctx);
  const leg = result.state.caller?.leg;
  const added = result.commands.filter((c) => c.type === "speak" && c.leg === leg).length;
  const counted = added ? { ...result.state, speaking: result.state.speaking + added } : result.state;
  return { state: counted, commands: result.commands };
}

export const cardFlow: Flow<CardState, CardConfig, CardCommand, CardEvent> = {
  name: "calling_card",
  init: () => initialCardState(),
  step,
  isDone: (state) => state.phase === "done",
  deadline: (state) => (state.talk?.limitAt ? state.talk.limitAt + DEADLINE_MARGIN_MS : null),
  view: (state) => ({
    phase: state.phase,
    step: state.placed ? `call ${state.calls}` : null,
    talk: state.talk
      ? { startedAt: state.talk.startedAt, limitAt: state.talk.limitAt, pausedSince: state.talk.pausedSince }
      : null,
    agentId: null,
  }),
};
