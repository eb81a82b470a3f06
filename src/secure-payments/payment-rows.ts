/**
 * What the isolated and the assisted payment tables share: the row builder, the guards on whose
 * leg an event came from, and every row from the charge to the end of the payment — the two modes
 * differ there only in what a decline and lost card digits lead to.
 */
import { rowsFor, type Row } from "../ivr/transition-table";
import type { LegId } from "../ivr/types";
import { charged, prepared, released, unavailable } from "./payment-charge";
import { conclude, endCall, legLeft, rejoin, rejoined } from "./payment-finish";
import type {
  PaymentCommand,
  PaymentCtx,
  PaymentEvent,
  PaymentResult,
  SecurePaymentState,
} from "./payment-state";

type PaymentRow = Row<SecurePaymentState, PaymentCtx, PaymentEvent, PaymentCommand>;
type Leg = { leg: LegId };
type Declined = Extract<PaymentEvent, { type: "payment_declined" }>;

export const on = rowsFor<SecurePaymentState, PaymentCtx, PaymentEvent, PaymentCommand>();

export const fromCaller = (s: SecurePaymentState, e: Leg) => e.leg === s.caller;
export const fromAgent = (s: SecurePaymentState, e: Leg) => e.leg === s.agent;
export const eitherLeg = (s: SecurePaymentState, e: Leg) => fromCaller(s, e) || fromAgent(s, e);
/** Our last speech to the caller ended (speak_ended is counted before the table). */
export const spoken = (s: SecurePaymentState, e: Leg) => fromCaller(s, e) && s.speaking === 0;
/** A backstop fired: the request stops (a gather still listening is stopped first). */
export const stopped =
  (reason: "timed_out" | "not_isolated") => (s: SecurePaymentState, _e: unknown, ctx: PaymentCtx) =>
    conclude(s, ctx, { status: "failed", reason });

/** Either side leaving (before money moves: stop; while it may: wait for Stripe's answer). */
export const legLeftRow: PaymentRow = on("any", "leg_hung_up", (s, e, ctx) => legLeft(s, e, ctx), eitherLeg);

/** Stripe's answers, the result said, caller and agent together again, or the call's end. */
export function chargeToEndRows(
  declined: (s: SecurePaymentState, e: Declined, ctx: PaymentCtx) => PaymentResult,
  cardLost: (s: SecurePaymentState, ctx: PaymentCtx) => PaymentResult,
): PaymentRow[] {
  return [
    // Stripe: set up, confirmed (charged) or declined; unreachable → release what may have happened
    on("charging", "payment_prepared", (s, e) => prepared(s, e)),
    on("charging", "payment_charged", charged),
    on("charging", "payment_declined", declined),
    on("charging", "payment_unavailable", unavailable),
    on("charging", "card_data_lost", (s, _e, ctx) => cardLost(s, ctx)),
    on("releasing", ["payment_settled", "payment_refused"], (s, _e, ctx) => released(s, ctx)),
    // The result said: bridged back together; talk resumes at the bridge
    on("announcing", "speak_ended", (s, _e, ctx) => rejoin(s, ctx), spoken),
    on("announcing", "timer:sp_speech", (s, _e, ctx) => rejoin(s, ctx)),
    on("rejoining", "legs_bridged", (s, e) => rejoined(s, e.at), eitherLeg),
    on("rejoining", "timer:sp_rejoin", (s, e) => rejoined(s, e.at)),
    // The agent left: the caller hears why, then the call ends
    on("farewell", "speak_ended", (s) => endCall(s), spoken),
    on("farewell", "timer:sp_speech", (s) => endCall(s)),
  ];
}
