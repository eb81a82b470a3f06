/**
 * Line lookups for the call engine: the called number (E.164) → the line that answers it.
 * Inactive lines are not found, so a deactivated number gets the "not in service" message.
 */
import { and, eq } from "drizzle-orm";
import type { LineInfo } from "../ivr/types";
import type { Db } from "./client";
import { lines } from "./schema";

export async function findActiveLineByNumber(db: Db, number: string): Promise<LineInfo | null> {
  const row = (
    await db
      .select()
      .from(lines)
      .where(and(eq(lines.number, number), eq(lines.active, true)))
      .limit(1)
  )[0];
  if (!row) return null;
  return {
    id: row.id,
    number: row.number,
    name: row.name,
    product: row.product,
    voice: row.voice,
    config: row.config,
  };
}
