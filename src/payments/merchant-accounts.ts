/**
 * Keeps a merchant's three Stripe flags (details submitted, charges enabled, payouts enabled)
 * as Stripe last reported them in `account.updated`. Webhooks come late and out of order: an
 * event older than the state we show is dropped, so a flag never rolls back to an older state.
 * Events of the same second are applied in arrival order (Stripe's `created` is whole seconds).
 * Accounts that are no merchant of ours are ignored.
 */
import { and, eq, isNull, lte, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { merchants } from "../db/schema";
import { accountFlagsOf } from "./connect";

export type AccountUpdateOutcome = "applied" | "stale_or_unknown" | "not_an_account";

export async function applyAccountUpdated(
  db: Db,
  event: { type: string; created: number; data: { object: unknown } },
): Promise<AccountUpdateOutcome> {
  const o = event.data.object as Record<string, unknown> | null;
  if (event.type !== "account.updated" || o?.object !== "account" || typeof o.id !== "string")
    return "not_an_account";
  const flags = accountFlagsOf({
    id: o.id,
    details_submitted: o.details_submitted === true,
    charges_enabled: o.charges_enabled === true,
    payouts_enabled: o.payouts_enabled === true,
  });
  const at = event.created * 1000;
  const updated = await db
    .update(merchants)
    .set({
      detailsSubmitted: flags.detailsSubmitted,
      chargesEnabled: flags.chargesEnabled,
      payoutsEnabled: flags.payoutsEnabled,
      stripeUpdatedAt: at,
      updatedAt: Date.now(),
    })
    .where(
      and(
        eq(merchants.stripeAccountId, flags.accountId),
        or(isNull(merchants.stripeUpdatedAt), lte(merchants.stripeUpdatedAt, at)),
      ),
    )
    .returning({ id: merchants.id });
  return updated.length > 0 ? "applied" : "stale_or_unknown";
}
