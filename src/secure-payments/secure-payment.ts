/**
 * One secure payment as a transition table, read top to bottom: the agent's leg goes into a
 * private queue (isolated: nobody hears the caller or their keys) → the caller confirms the amount
 * → keys the card, each field confirmed → Stripe charges it → the caller hears the result → caller
 * and agent are bridged again. Either side hanging up stops it (or, once the charge is on its way,
 * waits for Stripe's answer). Rows not listed are ignored: webhooks come late, twice, out of order.
 */
import { stepByTable, type Row } from "../ivr/transition-table";
import { assistedTable } from "./assisted-payment";
import { amountEntered, cardEntered, isolated } from "./payment-capture";
import { cardLost, declined } from "./payment-charge";
import { conclude } from "./payment-finish";
import { chargeToEndRows, fromAgent, fromCaller, legLeftRow, on, stopped } from "./payment-rows";
import type {
  PaymentCommand,
  PaymentCtx,
  PaymentEvent,
  PaymentResult,
  SecurePaymentState,
} from "./payment-state";

export const paymentTable: Row<SecurePaymentState, PaymentCtx, PaymentEvent, PaymentCommand>[] = [
  legLeftRow,
  // The agent in a private queue first; only then the caller's first prompt
  on("isolating", "leg_enqueued", (s, _e, ctx) => isolated(s, ctx), fromAgent),
  on("isolating", "timer:sp_isolate", stopped("not_isolated")),
  // The amount (1 confirm / 2 reject), then the card, each field confirmed; * cancels; 60 s of silence stops
  on("amount", "digits_gathered", amountEntered, fromCaller),
  on("card", "digits_gathered", cardEntered, fromCaller),
  on(["amount", "card"], "timer:sp_input", stopped("timed_out")),
  ...chargeToEndRows(declined, cardLost),
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
