/**
 * A payment request as the API answers it (snake_case JSON), from a call's live frame (the same
 * facts the live stream carries) or from the record Turso keeps once it ended: one shape for both, so the console and API clients read
 * the same fields whether the call is still up or long over. Never card digits: brand + last 4.
 */
import { toIso, toIsoOrNull } from "../api/schemas";
import type { ShownStatus } from "./payment-view";
import { PAYMENT_STEPS, type FailureReason, type PaymentStep, type SecurePaymentRecord } from "./vocabulary";

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
  reason: FailureReason | null;
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

type Detail = Record<string, string | number | boolean | null>;
const text = (d: Detail, key: string): string | null => (typeof d[key] === "string" ? d[key] : null);
const num = (d: Detail, key: string): number | null => (typeof d[key] === "number" ? d[key] : null);

/** The call's current request from its live frame's detail (what the live stream carries too). */
export function requestFromDetail(callId: string, d: Detail): PaymentRequestJson | null {
  const id = text(d, "payment_id");
  const requestedAt = num(d, "payment_requested_at");
  if (!id || requestedAt === null) return null;
  const steps = {} as Record<PaymentStep, ShownStatus>;
  for (const step of PAYMENT_STEPS) steps[step] = (text(d, `step_${step}`) ?? "waiting") as ShownStatus;
  const finishedAt = num(d, "payment_finished_at");
  return {
    id,
    call_id: callId,
    item: text(d, "payment_item") ?? "",
    amount: num(d, "payment_amount") ?? 0,
    currency: text(d, "payment_currency") ?? "",
    status: (text(d, "payment_status") ?? "in_progress") as PaymentRequestJson["status"],
    stage: text(d, "payment_stage") ?? "",
    steps,
    reason: text(d, "payment_reason") as FailureReason | null,
    decline_code: text(d, "payment_decline_code"),
    card_brand: text(d, "payment_card_brand"),
    card_last4: text(d, "payment_card_last4"),
    left_by: text(d, "payment_left_by") as PaymentRequestJson["left_by"],
    agent_id: text(d, "payment_agent_id"),
    requested_by: text(d, "payment_requested_by") === "admin" ? "admin" : "agent",
    requested_at: toIso(requestedAt),
    finished_at: toIsoOrNull(finishedAt),
    recorded: d.payment_recorded === true,
  };
}
