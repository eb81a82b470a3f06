/**
 * A payment request as the API answers it (snake_case JSON), from a call's live state or from
 * the record Turso keeps once it ended: one shape for both, so the console and API clients read
 * the same fields whether the call is still up or long over. Never card digits: brand + last 4.
 */
import { toIso, toIsoOrNull } from "../api/schemas";
import { currentPayment, type SecurePayments, type ShownStatus } from "./payment-view";
import { PAYMENT_STEPS, type PaymentStep, type SecurePaymentRecord } from "./vocabulary";

export interface PaymentRequestJson {
  [key: string]: unknown;
  id: string;
  call_id: string;
  item: string;
  amount: number;
  currency: string;
  status: "in_progress" | "succeeded" | "failed";
  stage: string;
  steps: Record<PaymentStep, ShownStatus>;
  reason: string | null;
  decline_code: string | null;
  card_brand: string | null;
  card_last4: string | null;
  left_by: "caller" | "agent" | null;
  agent_id: string | null;
  requested_by: "agent" | "admin";
  requested_at: string;
  finished_at: string | null;
  recorded: boolean;
}

/** The call's current (or last) request; null when the call has had none. */
export function renderRequest(callId: string, payments: SecurePayments): PaymentRequestJson | null {
  const s = currentPayment(payments);
  if (!s) return null;
  const o = s.outcome;
  return {
    id: s.request.id,
    call_id: callId,
    item: s.request.item,
    amount: s.request.amount,
    currency: s.request.currency,
    status: s.status,
    stage: s.stage,
    steps: s.steps,
    reason: o?.reason ?? null,
    decline_code: o?.declineCode ?? null,
    card_brand: o?.cardBrand ?? null,
    card_last4: o?.cardLast4 ?? null,
    left_by: o?.leftBy ?? null,
    agent_id: s.request.agentId,
    requested_by: s.request.requestedBy,
    requested_at: toIso(s.request.requestedAt),
    finished_at: toIsoOrNull(o?.at ?? null),
    recorded: s.recorded,
  };
}

function stepsOf(
  r: Pick<SecurePaymentRecord, "stoppedAt" | "stepsCompleted">,
): Record<PaymentStep, ShownStatus> {
  const steps = {} as Record<PaymentStep, ShownStatus>;
  PAYMENT_STEPS.forEach((step, i) => {
    steps[step] = i < r.stepsCompleted ? "complete" : r.stoppedAt === step ? "stopped" : "waiting";
  });
  return steps;
}

/** A finished request from its record. */
export function renderRecord(r: SecurePaymentRecord): PaymentRequestJson {
  return {
    id: r.id,
    call_id: r.callId,
    item: r.item,
    amount: r.amount,
    currency: r.currency,
    status: r.status,
    stage: "finished",
    steps: stepsOf(r),
    reason: r.reason,
    decline_code: r.declineCode,
    card_brand: r.cardBrand,
    card_last4: r.cardLast4,
    left_by: r.leftBy,
    agent_id: r.agentId,
    requested_by: r.requestedBy,
    requested_at: toIso(r.requestedAt),
    finished_at: toIso(r.finishedAt),
    recorded: true,
  };
}
