/**
 * Line lookups for the call engine: the called number (E.164) → the line that answers it, with
 * the merchant it pays (if any) and whether that merchant can take charges now.
 * Inactive lines are not found, so a deactivated number gets the "not in service" message.
 */
import { and, eq } from "drizzle-orm";
import type { LineInfo } from "../ivr/types";
import type { Db } from "./client";
import { lines, merchants } from "./schema";

export async function findActiveLineByNumber(db: Db, number: string): Promise<LineInfo | null> {
  const found = (
    await db
      .select({ line: lines, merchant: merchants })
      .from(lines)
      .leftJoin(merchants, eq(merchants.id, lines.merchantId))
      .where(and(eq(lines.number, number), eq(lines.active, true)))
      .limit(1)
  )[0];
  if (!found) return null;
  const { line: row, merchant } = found;
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    product: row.product,
    voice: row.voice,
    config: row.config,
    payee: merchant
      ? {
          merchantId: merchant.id,
          accountId: merchant.stripeAccountId,
          chargesEnabled: merchant.chargesEnabled,
        }
      : null,
  };
}
