/**
 * The paid advice line as one transition table, read top to bottom: answer → welcome → terms →
 * card → authorise (hold per minute / charge flat rate) → rep (or queue, or voicemail) → metered
 * talk with warning and cutoff → settle once. Rows not listed are ignored (late or repeated
 * webhooks). Handlers live in the advice-* modules; this file only says when each one runs.
 */
import { rowsFor, stepByTable, type Row } from "../../ivr/transition-table";
import type { CardEvent } from "../../card-payments/vocabulary";
import { withSecurePayments } from "../../secure-payments/during-talk";
import { paymentDetail } from "../../secure-payments/payment-view";
import type { SecurePaymentEvent } from "../../secure-payments/vocabulary";
import { advicePayments, paymentSettings } from "./advice-payments";
import type { Flow, LegId } from "../../ivr/types";
import type { AdviceConfig } from "./config";
import { abandonConnect, connecting } from "./advice-connect";
import { answer, answerTerms, enterCard, welcome } from "./advice-entry";
import { answerQuestion, askThen } from "./advice-questions";
import {
  answerDeclineMenu,
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
  callerGone,
  finishGoodbye,
  goodbye,
  hangUpLateLeg,
  moneyAnswered,
  releaseUnwantedAgent,
  settled,
} from "./advice-settle";
import {
  callerLeg,
  initialAdviceState,
  isCallerLeg,
  type AdviceCommand,
  type AdviceCtx,
  type AdviceEvent,
  type AdvicePhase,
  type AdviceResult,
  type AdviceState,
} from "./advice-state";
import { talkDeadline, talking } from "./advice-talk";
import { texts } from "./advice-texts";
import {
  callerLeftMessage,
  recordingNeverSaved,
  recordingSaved,
  settleWithMessage,
  settleWithoutMessage,
  startRecording,
  stopRecording,
} from "./advice-voicemail";

const on = rowsFor<AdviceState, AdviceCtx, AdviceEvent, AdviceCommand>();

type Leg = { leg: LegId };
const fromCaller = (s: AdviceState, e: Leg) => isCallerLeg(s, e.leg);
/** The caller's speech queue has drained (see `step`: speak_ended is counted before the table). */
const speechDone = (s: AdviceState, e: Leg) => fromCaller(s, e) && s.speaking === 0;
/** A rep leg of ours; never the customer-service leg our transfer creates (that call goes on). */
const anyAgentLeg = (_s: AdviceState, e: { role: string }) => e.role.startsWith("agent:");

/** Before talk, a caller hang-up settles from any of these (connecting, talk and voicemail have their own rows). */
const PRE_TALK: AdvicePhase[] = [
  "answering",
  "welcome",
  "terms",
  "card",
  "questions",
  "retry_menu",
  "decline_menu",
  "voicemail_prompt",
  "goodbye",
  "transferring",
];
const CONNECTING: AdvicePhase[] = ["reserving", "connecting", "queued"];
const IVR: AdvicePhase[] = [
  "answering",
  "welcome",
  "terms",
  "card",
  "questions",
  "retry_menu",
  "decline_menu",
];
const PAYMENT_ANSWERS = [
  "payment_prepared",
  "payment_authorized",
  "payment_charged",
  "payment_declined",
  "payment_unavailable",
  "card_data_lost",
] as const;

/** The bound on time before talk: nobody is held in the IVR or a queue for ever on a toll-free line. */
function tooLong(state: AdviceState, ctx: AdviceCtx): AdviceResult {
  const stop = abandonConnect(state, ctx);
  const card =
    state.phase === "card" ? ([{ type: "forget_card" }, { type: "log_sensitive", on: false }] as const) : [];
  return goodbye(stop.state, ctx, texts.tooLongBeforeTalk, "timed_out", [...stop.commands, ...card]);
}

export const adviceTable: Row<AdviceState, AdviceCtx, AdviceEvent, AdviceCommand>[] = [
  // Answer, welcome, terms (1 accept / 2 decline)
  on("idle", "call_started", answer),
  on("answering", "leg_answered", welcome, fromCaller),
  on("welcome", "speak_ended", (s, _e, ctx) => askThen(s, ctx, "terms"), speechDone),
  // Voice questions (at the line's points in the menu), then on where the menu was
  on("questions", "voice_answered", answerQuestion, fromCaller),
  on("terms", "digits_gathered", answerTerms, fromCaller),
  // Card, then the hold (per minute) or the charge (flat rate)
  on("card", "digits_gathered", enterCard, fromCaller),
  on("authorizing", "payment_prepared", preparedPayment),
  on("authorizing", ["payment_authorized", "payment_charged"], approved),
  on("authorizing", "payment_declined", declined),
  on("authorizing", "payment_unavailable", unavailable),
  on("authorizing", "card_data_lost", cardLost),
  on("authorizing", "leg_hung_up", awaitPayment, fromCaller),
  on("authorizing", "timer:pre_talk_limit", (s, e) => ({
    state: {
      ...s,
      phase: "awaiting_payment",
      pending: { status: "timed_out", endedAt: e.at, cause: null, by: "system" },
    },
    commands: [{ type: "hangup", leg: callerLeg(s) }],
  })),
  on("awaiting_payment", PAYMENT_ANSWERS, settleLatePayment),
  on("retry_menu", "digits_gathered", answerRetry, fromCaller),
  on("decline_menu", "digits_gathered", answerDeclineMenu, fromCaller),
  on("transferring", "speak_ended", transferToService, speechDone),
  on([...IVR, ...CONNECTING], "timer:pre_talk_limit", (s, _e, ctx) => tooLong(s, ctx)),
  // Reaching a rep (the shared connect machine): reserve, ring, next rep, hold queue; none → voicemail
  on(CONNECTING, "*", connecting),
  // Talking, metered (the shared talk machine): ticks, warning to both, cutoff, earliest hang-up ends it;
  // a secure payment the rep asks for pauses the meter while the caller keys the card
  on("talking", "*", withSecurePayments(advicePayments, talking)),
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
  // Settling: each money answer is noted; the last one writes the record → done
  on("settling", ["payment_settled", "payment_refused"], moneyAnswered),
  on(["settling", "done"], ["leg_dialled", "leg_answered"], hangUpLateLeg, anyAgentLeg),
  on("settling", "call_settled", settled),
  // A rep we did not ask for (any phase not listed above; a repeat for our own rep is ignored)
  on("any", ["agent_reserved", "agent_offered"], releaseUnwantedAgent),
];

/** Counts the caller's queued speeches, so "speech ended" rows wait for the last one. */
function step(state: AdviceState, event: AdviceEvent, ctx: AdviceCtx): AdviceResult {
  const spoken = event.type === "speak_ended" && fromCaller(state, event) && state.speaking > 0;
  const before = spoken ? { ...state, speaking: state.speaking - 1 } : state;
  const result = stepByTable(adviceTable, before, event, ctx);
  const leg = result.state.caller?.leg;
  const added = result.commands.filter((c) => c.type === "speak" && c.leg === leg).length;
  return added ? { ...result, state: { ...result.state, speaking: result.state.speaking + added } } : result;
}

export const adviceFlow: Flow<AdviceState, AdviceConfig, AdviceCommand, CardEvent | SecurePaymentEvent> = {
  name: "advice",
  stateVersion: 2,
  init: () => initialAdviceState(),
  step: (state, event, ctx) => step(state, event, ctx),
  isDone: (state) => state.phase === "done",
  deadline: (state) => {
    if (state.phase === "settling" || state.phase === "done") return null;
    if (state.phase === "queued" && state.connect?.queue) return state.connect.queue.deadline + 5 * 60_000;
    return talkDeadline(state);
  },
  view: (state, line) => ({
    phase: state.phase,
    step: state.card?.field ?? state.connect?.step ?? null,
    talk: state.talk
      ? { startedAt: state.talk.startedAt, limitAt: state.talk.limitAt, pausedSince: state.talk.pausedSince }
      : null,
    agentId: state.agent?.id ?? null,
    detail: paymentDetail(state.securePayments, paymentSettings(line.config)),
  }),
};
