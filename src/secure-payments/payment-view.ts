/**
 * What the agent and the API may see of a call's secure payments: per request its item, amount,
 * status, each step as waiting / entering / complete (or stopped, where an early end caught the
 * caller), the reason it failed, and brand + last 4 once it was charged. Never a digit the caller
 * keyed. Flat values, so the call's live frame (CallView.detail) carries them as they are.
 */
import { minorUnitExponent } from "../billing/currency";
import type { CallView } from "../ivr/types";
import type { SecurePaymentSettings } from "./config";
import { stepsComplete, type SecurePaymentState } from "./payment-state";
import {
  PAYMENT_STEPS,
  type PaymentOutcome,
  type PaymentRequest,
  type PaymentStep,
  type StepStatus,
} from "./vocabulary";

/** A finished request, as the call keeps it for the console after the payment is over. */
export interface FinishedPayment {
  request: PaymentRequest;
  outcome: PaymentOutcome;
  stoppedAt: PaymentStep | null;
  completed: number;
  /** The record is in Turso (and on its way to the CRM). */
  recorded: boolean;
  /** Assisted mode: each step as it stood at the end (fields complete in any order). */
  steps?: Record<PaymentStep, ShownStatus>;
}

/** A call's secure payments: the one running, how many were asked for, the last that finished. */
export interface SecurePayments {
  active: SecurePaymentState | null;
  count: number;
  last: FinishedPayment | null;
}

export const NO_PAYMENTS: SecurePayments = { active: null, count: 0, last: null };

/** "failed": assisted mode only, a field the agent may ask for again. */
export type ShownStatus = StepStatus | "stopped" | "failed";

export interface PaymentSummary {
  request: PaymentRequest;
  status: "in_progress" | "succeeded" | "failed";
  /** The machine's phase while it runs (isolating, amount, card, charging…), "finished" after. */
  stage: string;
  steps: Record<PaymentStep, ShownStatus>;
  outcome: PaymentOutcome | null;
  recorded: boolean;
  mode: "isolated" | "assisted";
  /** Assisted: the field the caller is entering now (the console shows "entering…"). */
  field: string | null;
  /** Assisted: Stripe's code for the last decline, while the agent asks for the card again. */
  declineCode: string | null;
}

function stepStatuses(completed: number, live: boolean, stoppedAt: PaymentStep | null) {
  const steps = {} as Record<PaymentStep, ShownStatus>;
  PAYMENT_STEPS.forEach((step, i) => {
    if (i < completed) steps[step] = "complete";
    else if (stoppedAt === step) steps[step] = "stopped";
    else steps[step] = live && i === completed ? "entering" : "waiting";
  });
  return steps;
}

/** Assisted mode: the amount as usual, then each field as the agent's requests left it. */
export function assistedSteps(active: SecurePaymentState): Record<PaymentStep, ShownStatus> | null {
  const a = active.assisted;
  if (!a) return null;
  const amount: ShownStatus =
    active.phase === "isolating"
      ? "waiting"
      : active.phase === "amount"
        ? active.outcome
          ? active.stoppedAt === "amount"
            ? "stopped"
            : "waiting"
          : "entering"
        : "complete";
  return { amount, ...a.fields };
}

/** The request the console shows: the one running, else the last one that finished. */
export function currentPayment(p: SecurePayments | undefined): PaymentSummary | null {
  const active = p?.active;
  if (active) {
    const live = active.outcome === null && (active.phase === "amount" || active.phase === "card");
    const completed = active.completedAtEnd ?? stepsComplete(active);
    return {
      request: active.request,
      status: active.outcome ? active.outcome.status : "in_progress",
      stage: active.phase,
      steps: assistedSteps(active) ?? stepStatuses(completed, live, active.stoppedAt),
      outcome: active.outcome,
      mode: active.assisted ? "assisted" : "isolated",
      field: active.card && active.assisted ? active.card.field : null,
      declineCode: active.assisted?.declineCode ?? null,
      recorded: active.recorded,
    };
  }
  const last = p?.last;
  if (!last) return null;
  return {
    request: last.request,
    status: last.outcome.status,
    stage: "finished",
    steps: last.steps ?? stepStatuses(last.completed, false, last.stoppedAt),
    outcome: last.outcome,
    mode: last.steps ? "assisted" : "isolated",
    field: null,
    declineCode: null,
    recorded: last.recorded,
  };
}

/** The live frame's share: the line's payment settings, then the current request if any. */
export function paymentDetail(
  p: SecurePayments | undefined,
  settings: SecurePaymentSettings,
): NonNullable<CallView["detail"]> {
  const base = {
    pay_enabled: settings.enabled,
    pay_currency: settings.currency,
    // The console turns a typed "12.50" into minor units with it (the project's one exponent table).
    pay_currency_exponent: minorUnitExponent(settings.currency),
    pay_max_amount: settings.maxAmount,
    pay_mode: settings.mode,
  };
  const s = currentPayment(p);
  if (!s) return base;
  const o = s.outcome;
  return {
    ...base,
    payment_id: s.request.id,
    payment_item: s.request.item,
    payment_amount: s.request.amount,
    payment_currency: s.request.currency,
    payment_status: s.status,
    payment_stage: s.stage,
    payment_reason: o?.reason ?? null,
    payment_card_brand: o?.cardBrand ?? null,
    payment_card_last4: o?.cardLast4 ?? null,
    payment_left_by: o?.leftBy ?? null,
    payment_agent_id: s.request.agentId,
    payment_requested_by: s.request.requestedBy,
    payment_requested_at: s.request.requestedAt,
    payment_finished_at: o?.at ?? null,
    payment_recorded: s.recorded,
    payment_mode: s.mode,
    payment_field: s.field,
    payment_decline_code: o?.declineCode ?? s.declineCode,
    ...Object.fromEntries(PAYMENT_STEPS.map((step) => [`step_${step}`, s.steps[step]])),
  };
}
