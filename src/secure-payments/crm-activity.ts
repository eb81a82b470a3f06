/**
 * The activity a secure payment posts to the caller's CRM record: agent, product name,
 * transaction id, amount charged (with its currency symbol), status (Success / Failed and why)
 * and timestamp (Year-Month-Day Hour:Minute:Second, UTC), plus the same facts as plain fields
 * for a program. One delivery per transaction id, signed and retried until the CRM acknowledges
 * it (WebhookDelivery); a second start for the same id sends nothing new.
 */
import type { DeliveryStatus } from "../../durable-objects/webhook-delivery";
import { minorToDecimal } from "../billing/currency";
import { CRM_SECRET_NAME, crmEnv } from "./crm-env";
import type { SecurePaymentRecord } from "./vocabulary";

export const crmDeliveryKey = (transactionId: string) => `secure-payment:${transactionId}`;

/** "$12.50", "SEK 1,250.00", "¥500": the amount as a person reads it, exact (decimal string in). */
export function displayAmount(amount: number, currency: string): string {
  const decimal = minorToDecimal(amount, currency);
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency: currency.toUpperCase() }).format(
      decimal as Intl.StringNumericLiteral,
    );
  } catch {
    return `${decimal} ${currency.toUpperCase()}`;
  }
}

/** 2026-11-21 09:30:05 (UTC), as the activity's Timestamp line. */
export const activityTime = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace("T", " ");

export function activityBody(r: SecurePaymentRecord, agentName: string | null): Record<string, unknown> {
  const success = r.status === "succeeded";
  return {
    type: success ? "secure_payment.succeeded" : "secure_payment.failed",
    idempotency_key: crmDeliveryKey(r.id),
    activity: {
      agent: agentName ?? r.agentId ?? "(admin)",
      product_name: r.item,
      transaction_id: r.id,
      amount_charged: displayAmount(success ? r.amount : 0, r.currency),
      payment_status: success ? "Success" : "Failed",
      timestamp: activityTime(r.finishedAt),
    },
    payment: {
      id: r.id,
      status: r.status,
      reason: r.reason,
      decline_code: r.declineCode,
      amount: r.amount,
      amount_charged: success ? r.amount : 0,
      currency: r.currency,
      card_brand: r.cardBrand,
      card_last4: r.cardLast4,
      left_by: r.leftBy,
      requested_at: new Date(r.requestedAt).toISOString(),
      finished_at: new Date(r.finishedAt).toISOString(),
    },
    agent: { id: r.agentId, name: agentName },
    call: { id: r.callId, line_id: r.lineId, product: r.product },
  };
}

export type CrmStatus = DeliveryStatus | { state: "not_configured" };

const deliveryOf = (env: Env, id: string) =>
  env.WEBHOOK_DELIVERY.get(env.WEBHOOK_DELIVERY.idFromName(crmDeliveryKey(id)));

/** Starts (once per transaction) the signed POST to the CRM; without a CRM configured, none. */
export async function startCrmDelivery(
  env: Env,
  r: SecurePaymentRecord,
  agentName: string | null,
): Promise<CrmStatus> {
  const cfg = crmEnv(env);
  if (!cfg.CRM_WEBHOOK_URL || !cfg.CRM_WEBHOOK_SECRET) return { state: "not_configured" };
  return deliveryOf(env, r.id).start({
    id: crmDeliveryKey(r.id),
    url: cfg.CRM_WEBHOOK_URL,
    body: JSON.stringify(activityBody(r, agentName)),
    secretName: CRM_SECRET_NAME,
  });
}

export async function crmStatus(env: Env, id: string): Promise<CrmStatus> {
  const cfg = crmEnv(env);
  if (!cfg.CRM_WEBHOOK_URL || !cfg.CRM_WEBHOOK_SECRET) return { state: "not_configured" };
  return deliveryOf(env, id).status();
}
