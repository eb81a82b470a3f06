/**
 * Keeps our payment rows in step with Stripe's own account of them: each payment_intent.* or
 * charge.* webhook sets, on every row of that intent, the intent's status and what was refunded,
 * unless a newer event already did (webhooks come late and out of order). Money is never moved
 * here: the call's object does that; this only makes the API show what Stripe says happened.
 */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { payments } from "../db/schema";

export interface StripeTruth {
  paymentId: string;
  /** The intent's status (for payment_intent events) or null to keep the one we have. */
  status: string | null;
  amountRefunded: number | null;
  /** The event's own time (Stripe's `created`, ms). */
  at: number;
}

/** Reads what a webhook says about an intent; null for events about something else. */
export function truthOf(event: {
  type: string;
  created: number;
  data: { object: unknown };
}): StripeTruth | null {
  const o = event.data.object as Record<string, unknown>;
  const at = event.created * 1000;
  if (o.object === "payment_intent" && typeof o.id === "string")
    return {
      paymentId: o.id,
      status: typeof o.status === "string" ? o.status : null,
      amountRefunded: null,
      at,
    };
  if (o.object === "charge" && typeof o.payment_intent === "string") {
    const refunded = typeof o.amount_refunded === "number" ? o.amount_refunded : null;
    const status = o.refunded === true ? "refunded" : null;
    return { paymentId: o.payment_intent, status, amountRefunded: refunded, at };
  }
  return null;
}

export async function applyStripeTruth(db: Db, truth: StripeTruth): Promise<void> {
  await db
    .update(payments)
    .set({
      ...(truth.status !== null ? { stripeStatus: truth.status } : {}),
      ...(truth.amountRefunded !== null ? { amountRefunded: truth.amountRefunded } : {}),
      stripeUpdatedAt: truth.at,
    })
    .where(
      and(
        eq(payments.providerPaymentId, truth.paymentId),
        or(isNull(payments.stripeUpdatedAt), lt(payments.stripeUpdatedAt, truth.at + 1)),
      ),
    );
}
