/**
 * What a customer's body points at, checked before it is written: the price list must exist, the
 * line must be an agent line (its starting credit is a new customer's default limit). Without a
 * price list a new customer gets the basic one, as a customer made from the directory does.
 */
import { eq } from "drizzle-orm";
import type { FieldError } from "../../../api/field-messages";
import { validationProblem } from "../../../api/problem";
import type { Db } from "../../../db/client";
import { lines } from "../../../db/schema";
import { agentLineConfigSchema } from "../config";
import { priceLists } from "../schema";

/** A new customer's limit when neither the body nor a line says (the agent line's default). */
export const DEFAULT_CREDIT_LIMIT = 100_000;

export interface References {
  /** The line's starting credit, when a line was named. */
  startingCredit: number | null;
}

/** 422 naming each reference that points at nothing (or at a line of another product). */
export async function checkReferences(
  db: Db,
  refs: { priceListId?: string | null | undefined; lineId?: string | null | undefined },
): Promise<References> {
  const errors: FieldError[] = [];
  let startingCredit: number | null = null;
  if (typeof refs.priceListId === "string") {
    const [list] = await db
      .select({ id: priceLists.id })
      .from(priceLists)
      .where(eq(priceLists.id, refs.priceListId))
      .limit(1);
    if (!list) errors.push({ field: "price_list_id", message: "is not the id of a price list" });
  }
  if (typeof refs.lineId === "string") {
    const [line] = await db
      .select({ product: lines.product, config: lines.config })
      .from(lines)
      .where(eq(lines.id, refs.lineId))
      .limit(1);
    if (!line) errors.push({ field: "line_id", message: "is not the id of a line" });
    else if (line.product !== "agent_line")
      errors.push({ field: "line_id", message: `is a ${line.product} line, not an agent line` });
    else startingCredit = agentLineConfigSchema.safeParse(line.config).data?.startingCredit ?? null;
  }
  if (errors.length > 0) throw validationProblem(errors);
  return { startingCredit };
}

export async function basicPriceListId(db: Db): Promise<string | null> {
  const [basic] = await db
    .select({ id: priceLists.id })
    .from(priceLists)
    .where(eq(priceLists.isBasic, true))
    .limit(1);
  return basic?.id ?? null;
}
