/**
 * The paid advice line as one transition table, read top to bottom: answer → welcome → terms →
 * card → authorise (hold per minute / charge flat rate) → rep (or queue, or voicemail) → metered
 * talk with warning and cutoff → settle once. Rows not listed are ignored (late or repeated
 * webhooks). Handlers live in the advice-* modules; this file only says when each one runs.
 */
import { rowsFor, stepByTable, type Row } from "../../ivr/transition-table";
import type { CallEvent, Flow, LegId, StepResult } from "../../ivr/types";
import type { AdviceConfig } from "./config";
import { answer, answerTerms, enterCard, offerTerms, welcome } from "./advice-entry";
import {
  answerRetry,
  approved,
  awaitPayment,
  cardLost,
  declined,
  preparedPayment,
  settleLatePayment,
  transferToService,
  unavailable,
} from "./advice-payment";
import {
  agentAnswered,
  agentDialled,
  agentMissed,
  dialAgent,
  legsBridged,
  noAgent,
  playHoldMusic,
  queueTimedOut,
} from "./advice-routing";
import { callerGone, finishGoodbye, hangUpLateLeg, releaseUnwanted, settled } from "./advice-settle";
import {
  initialAdviceState,
  isCallerLeg,
  isCurrentAgent,
  type AdviceCtx,
  type AdvicePhase,
  type AdviceState,
} from "./advice-state";
import { cutOff, endTalk, hangupNeverReported, talkDeadline, tick, warn } from "./advice-talk";
import {
  callerLeftMessage,
  recordingNeverSaved,
  recordingSaved,
  settleWithMessage,
  settleWithoutMessage,
  startRecording,
  stopRecording,
} from "./advice-voicemail";

const on = rowsFor<AdviceState, AdviceCtx>();

type Leg = { leg: LegId };
type RoleLeg = { leg: LegId; role: string };
const fromCaller = (s: AdviceState, e: Leg) => isCallerLeg(s, e.leg);
const fromAgent = (s: AdviceState, e: RoleLeg) => isCurrentAgent(s, e);
const fromEither = (s: AdviceState, e: RoleLeg) => fromCaller(s, e) || fromAgent(s, e);
/** The caller's speech queue has drained (see `step`: speak_ended is counted before the table). */
const speechDone = (s: AdviceState, e: Leg) => fromCaller(s, e) && s.speaking === 0;
/** A rep leg of ours; never the customer-service leg our transfer creates (that call goes on). */
const anyAgentLeg = (_s: AdviceState, e: RoleLeg) =>
  e.role.startsWith("agent:") && e.role !== "agent:transfer";

/** Before talk, a caller hang-up settles from any of these (talk and voicemail have their own rows). */
const PRE_TALK: AdvicePhase[] = [
  "answering",
  "welcome",
  "terms",
  "card",
  "retry_menu",
  "reserving",
  "connecting",
  "queued",
  "voicemail_prompt",
  "goodbye",
  "transferring",
];
const PAYMENT_ANSWERS = [
  "payment_prepared",
  "payment_authorized",
  "payment_charged",
  "payment_declined",
  "payment_unavailable",
  "card_data_lost",
] as const;

export const adviceTable: Row<AdviceState, AdviceCtx>[] = [
  // Answer, welcome, terms (1 accept / 2 decline)
  on("idle", "call_started", answer),
  on("answering", "leg_answered", welcome, fromCaller),
  on("welcome", "speak_ended", offerTerms, speechDone),
  on("terms", "digits_gathered", answerTerms, fromCaller),
  // Card, then the hold (per minute) or the charge (flat rate)
  on("card", "digits_gathered", enterCard, fromCaller),
  on("authorizing", "payment_prepared", preparedPayment),
  on("authorizing", ["payment_authorized", "payment_charged"], approved),
  on("authorizing", "payment_declined", declined),
  on("authorizing", "payment_unavailable", unavailable),
  on("authorizing", "card_data_lost", cardLost),
  on("authorizing", "leg_hung_up", awaitPayment, fromCaller),
  on("awaiting_payment", PAYMENT_ANSWERS, settleLatePayment),
  on("retry_menu", "digits_gathered", answerRetry, fromCaller),
  on("transferring", "speak_ended", transferToService, speechDone),
  // Reaching a rep: reserve, dial, bridge; next rep on busy/no answer; queue or voicemail if none
  on("reserving", "agent_reserved", dialAgent),
  on("reserving", "no_agent_available", noAgent),
  on("queued", "speak_ended", playHoldMusic, speechDone),
  on("queued", "agent_offered", dialAgent),
  on("queued", "timer:queue_timeout", queueTimedOut),
  on("connecting", "leg_dialled", agentDialled, fromAgent),
  on("connecting", "leg_answered", agentAnswered, fromAgent),
  on("connecting", "legs_bridged", legsBridged, fromEither),
  on("connecting", "leg_hung_up", agentMissed, fromAgent),
  on("connecting", "timer:ring_timeout", agentMissed),
  // Talking, metered: minute ticks, warning to both, cutoff at the limit, first hang-up ends it
  on("talking", "timer:tick", tick),
  on("talking", "timer:warning", warn),
  on("talking", "timer:cutoff", cutOff),
  on(["talking", "cutting_off"], "leg_hung_up", endTalk, fromEither),
  on("cutting_off", "timer:hangup_wait", hangupNeverReported),
  // Voicemail: prompt, beep, record until hang-up or max length, keep the saved recording
  on("voicemail_prompt", "speak_ended", startRecording, speechDone),
  on("recording", "recording_saved", recordingSaved),
  on("recording", "timer:voicemail_end", stopRecording),
  on("recording", "timer:recording_wait", recordingNeverSaved),
  on("recording", "leg_hung_up", callerLeftMessage, fromCaller),
  on("awaiting_recording", "recording_saved", settleWithMessage),
  on("awaiting_recording", "timer:recording_wait", settleWithoutMessage),
  // Last words, and the caller leaving before any talk
  on("goodbye", "speak_ended", (s, e, ctx) => finishGoodbye(s, ctx, e.at), speechDone),
  on("goodbye", "timer:goodbye", (s, e, ctx) => finishGoodbye(s, ctx, e.at)),
  on(PRE_TALK, "leg_hung_up", callerGone, fromCaller),
  // After the end: a rep leg that turns up late is hung up; the record is written → done
  on(["settling", "done"], ["leg_dialled", "leg_answered"], hangUpLateLeg, anyAgentLeg),
  on("settling", "call_settled", settled),
  // A rep we did not ask for (any phase not listed above; a repeat for our own rep is ignored)
  on("any", ["agent_reserved", "agent_offered"], releaseUnwanted, (s, e) => s.agent?.id !== e.agentId),
];

/** Counts the caller's queued speeches, so "speech ended" rows wait for the last one. */
function step(state: AdviceState, event: CallEvent, ctx: AdviceCtx): StepResult<AdviceState> {
  const spoken = event.type === "speak_ended" && fromCaller(state, event) && state.speaking > 0;
  const before = spoken ? { ...state, speaking: state.speaking - 1 } : state;
  const result = stepByTable(adviceTable, before, event, ctx);
  const leg = result.state.caller?.leg;
  const added = result.commands.filter((c) => c.type === "speak" && c.leg === leg).length;
  return added ? { ...result, state: { ...result.state, speaking: result.state.speaking + added } } : result;
}

export const adviceFlow: Flow<AdviceState, AdviceConfig> = {
  name: "advice",
  init: () => initialAdviceState(),
  step,
  isDone: (state) => state.phase === "done",
  deadline: (state) => {
    if (state.phase === "settling" || state.phase === "done") return null;
    if (state.phase === "queued" && state.queue) return state.queue.deadline + 5 * 60_000;
    return talkDeadline(state);
  },
};
