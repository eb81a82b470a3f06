/**
 * One secure payment as a transition table, read top to bottom: the agent's leg goes into a
 * private queue (isolated: nobody hears the caller or their keys) → the caller confirms the amount
 * → keys the card, each field confirmed → Stripe charges it → the caller hears the result → caller
 * and agent are bridged again. Either side hanging up stops it (or, once the charge is on its way,
 * waits for Stripe's answer). Rows not listed are ignored: webhooks come late, twice, out of order.
 */
import { rowsFor, stepByTable, type Row } from "../ivr/transition-table";
import type { LegId } from "../ivr/types";
import { assistedTable } from "./assisted-payment";
import { amountEntered, cardEntered, isolated } from "./payment-capture";
import { cardLost, charged, declined, prepared, released, unavailable } from "./payment-charge";
import { conclude, endCall, legLeft, rejoin, rejoined } from "./payment-finish";
import type {
  PaymentCommand,
  PaymentCtx,
  PaymentEvent,
  PaymentResult,
  SecurePaymentState,
} from "./payment-state";

const on = rowsFor<SecurePaymentState, PaymentCtx, PaymentEvent, PaymentCommand>();

type Leg = { leg: LegId };
const fromCaller = (s: SecurePaymentState, e: Leg) => e.leg === s.caller;
const fromAgent = (s: SecurePaymentState, e: Leg) => e.leg === s.agent;
const eitherLeg = (s: SecurePaymentState, e: Leg) => fromCaller(s, e) || fromAgent(s, e);
/** Our last speech to the caller ended (speak_ended is counted before the table). */
const spoken = (s: SecurePaymentState, e: Leg) => fromCaller(s, e) && s.speaking === 0;
/** A backstop fired: the request stops (a gather still listening is stopped first). */
const stopped =
  (reason: "timed_out" | "not_isolated") => (s: SecurePaymentState, _e: unknown, ctx: PaymentCtx) =>
    conclude(s, ctx, { status: "failed", reason });

export const paymentTable: Row<SecurePaymentState, PaymentCtx, PaymentEvent, PaymentCommand>[] = [
  // Either side leaving (before money moves: stop; while it may: wait for Stripe's answer)
  on("any", "leg_hung_up", (s, e, ctx) => legLeft(s, e, ctx), eitherLeg),
  // The agent in a private queue first; only then the caller's first prompt
  on("isolating", "leg_enqueued", (s, _e, ctx) => isolated(s, ctx), fromAgent),
  on("isolating", "timer:sp_isolate", stopped("not_isolated")),
  // The amount (1 confirm / 2 reject), then the card, each field confirmed; * cancels; 60 s of silence stops
  on("amount", "digits_gathered", amountEntered, fromCaller),
  on("card", "digits_gathered", cardEntered, fromCaller),
  on(["amount", "card"], "timer:sp_input", stopped("timed_out")),
  // Stripe: set up, confirmed (charged) or declined; unreachable → release what may have happened
  on("charging", "payment_prepared", (s, e) => prepared(s, e)),
  on("charging", "payment_charged", charged),
  on("charging", "payment_declined", declined),
  on("charging", "payment_unavailable", unavailable),
  on("charging", "card_data_lost", (s, _e, ctx) => cardLost(s, ctx)),
  on("releasing", ["payment_settled", "payment_refused"], (s, _e, ctx) => released(s, ctx)),
  // The result said: bridged back to the agent; talk resumes at the bridge
  on("announcing", "speak_ended", (s, _e, ctx) => rejoin(s, ctx), spoken),
  on("announcing", "timer:sp_speech", (s, _e, ctx) => rejoin(s, ctx)),
  on("rejoining", "legs_bridged", (s, e) => rejoined(s, e.at), eitherLeg),
  on("rejoining", "timer:sp_rejoin", (s, e) => rejoined(s, e.at)),
  // The agent left: the caller hears why, then the call ends
  on("farewell", "speak_ended", (s) => endCall(s), spoken),
  on("farewell", "timer:sp_speech", (s) => endCall(s)),
];

/** Feeds one event to the payment; its speeches to the caller are counted here. */
export function stepSecurePayment(
  state: SecurePaymentState,
  event: PaymentEvent,
  ctx: PaymentCtx,
): PaymentResult {
  const ended = event.type === "speak_ended" && event.leg === state.caller && state.speaking > 0;
  const before = ended ? { ...state, speaking: state.speaking - 1 } : state;
  return stepByTable(state.assisted ? assistedTable : paymentTable, before, event, ctx);
}

/**
 * The agent (or an admin) takes the request back before the caller has confirmed the amount, or
 * in assisted mode (the agent is on the line with the caller) at any point before the charge.
 */
export function cancelSecurePayment(state: SecurePaymentState, ctx: PaymentCtx): PaymentResult | null {
  const assistedCard = state.assisted && state.phase === "card";
  if (state.phase !== "isolating" && state.phase !== "amount" && !assistedCard) return null;
  return conclude(state, ctx, { status: "failed", reason: "cancelled_by_agent" });
}

/** Whether an event is the payment's business alone while it runs (the talk machine must not see it). */
export function isPaymentEvent(state: SecurePaymentState, event: PaymentEvent): boolean {
  switch (event.type) {
    case "digits_gathered":
    case "dtmf_received":
    case "speak_ended":
    case "leg_enqueued":
    case "leg_dequeued":
    case "legs_bridged":
    case "leg_hung_up":
      return event.leg === state.caller || event.leg === state.agent;
    case "timer_fired":
      return event.name.startsWith("sp_");
    case "payment_prepared":
    case "payment_authorized":
    case "payment_charged":
    case "payment_declined":
    case "payment_unavailable":
    case "card_data_lost":
    case "payment_settled":
    case "payment_refused":
      return true;
    default:
      return false;
  }
}
