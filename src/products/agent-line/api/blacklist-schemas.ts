/**
 * The blacklist's wire shapes: an entry is for one number or one customer (exactly one of them),
 * with a reason category and the prompt the caller hears. Lifted entries stay, with who and when.
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { notFoundProblem } from "../../../api/problem";
import { idParam, IsoTime, toIso, toIsoOrNull } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { blacklist } from "../schema";
import { checkPhone, DiallingCountry, EVEN_WITH_OTHER_ERRORS, PhoneText } from "./phone-input";

export const BLACKLIST_CATEGORIES = blacklist.category.enumValues;

export const BlacklistCreate = z
  .object({
    number: PhoneText.optional(),
    customer_id: z.string().trim().min(1).max(200).optional(),
    country: DiallingCountry,
    category: z.enum(BLACKLIST_CATEGORIES),
    prompt: z.string().trim().min(1).max(500).openapi({
      description: 'What the caller hears after "…you can\'t use this service because"',
      example: "an invoice from March is still unpaid",
    }),
  })
  .strict()
  .superRefine((body, ctx) => {
    const byNumber = body.number !== undefined;
    if (byNumber && body.customer_id !== undefined)
      ctx.addIssue({
        code: "custom",
        path: ["customer_id"],
        message: "cannot be sent with number: an entry is for a number or for a customer",
      });
    else if (!byNumber && body.customer_id === undefined)
      ctx.addIssue({ code: "custom", path: ["number"], message: "is required, or customer_id instead" });
    checkPhone(ctx, ["number"], body.number, typeof body.country === "string" ? body.country : "SE");
  }, EVEN_WITH_OTHER_ERRORS)
  .openapi("BlacklistCreate");

export const BlacklistEntrySchema = z
  .object({
    id: z.string().openapi({ example: "bl_7Hs2k0QbXk2mT7aLzP1c" }),
    number: z.string().nullable(),
    customer_id: z.string().nullable(),
    category: z.enum(BLACKLIST_CATEGORIES),
    prompt: z.string(),
    active: z.boolean().openapi({ description: "false once lifted" }),
    created_by: z.string(),
    created_at: IsoTime,
    lifted_by: z.string().nullable(),
    lifted_at: IsoTime.nullable(),
  })
  .openapi("BlacklistEntry");

export type BlacklistRow = typeof blacklist.$inferSelect;

export const renderEntry = (row: BlacklistRow) => ({
  id: row.id,
  number: row.number,
  customer_id: row.customerId,
  category: row.category,
  prompt: row.prompt,
  active: row.liftedAt === null,
  created_by: row.createdBy,
  created_at: toIso(row.createdAt),
  lifted_by: row.liftedBy,
  lifted_at: toIsoOrNull(row.liftedAt),
});

export const EntryParams = z.object({ entryId: idParam("entryId", "bl_7Hs2k0QbXk2mT7aLzP1c") });

/** How a customer's history shows the entry (the prompt is what the caller hears, so it says why). */
export const historyValueOf = (row: BlacklistRow): string => `${row.category}: ${row.prompt} (${row.id})`;

export const BLACKLIST_TAG = ["Blacklist"];

/** Any reader: the database, or a transaction that reads before it writes. */
export async function findEntry(db: Pick<Db, "select">, entryId: string): Promise<BlacklistRow> {
  const [row] = await db.select().from(blacklist).where(eq(blacklist.id, entryId)).limit(1);
  if (!row) throw notFoundProblem(`Blacklist entry ${entryId}`);
  return row;
}
