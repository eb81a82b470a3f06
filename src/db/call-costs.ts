/**
 * Telnyx's reported cost per leg (call.cost), stored once per leg so a redelivered webhook is a
 * no-op. Kept apart from the call row: the cost arrives after the call ended, whenever Telnyx sends it.
 */
import type { LegCost } from "../telnyx/webhook-events";
import type { Db } from "./client";
import { callCosts } from "./schema";

export async function recordLegCost(db: Db, cost: LegCost): Promise<void> {
  await db
    .insert(callCosts)
    .values({
      callId: cost.sessionId,
      legId: cost.legId,
      totalMicros: cost.totalMicros,
      currency: cost.currency,
      billedSec: cost.billedSec,
      at: cost.at,
    })
    .onConflictDoNothing();
}
