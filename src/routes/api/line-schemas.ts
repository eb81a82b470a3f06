/**
 * A line's wire shapes (create, update, response) and its lookup, shared by the lines, agents and
 * reports routers. Per-product config checks live in src/api/line-config.ts.
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { checkLineConfig, configComponentName, isProduct, PRODUCTS } from "../../api/line-config";
import { notFoundProblem } from "../../api/problem";
import { E164, idParam, IsoTime, toIso } from "../../api/schemas";
import type { Db } from "../../db/client";
import { lines } from "../../db/schema";

export const LineSchema = z
  .object({
    id: z.string().openapi({ example: "ln_4fJ9s0QbXk2mT7aLzP1c" }),
    number: E164,
    name: z.string(),
    product: z.enum(PRODUCTS),
    voice: z.string(),
    config: z.record(z.string(), z.unknown()),
    active: z.boolean(),
    merchant_id: z.string().nullable().openapi({
      description:
        "The merchant paid for this line's calls (Stripe destination charges); null = the platform",
    }),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .openapi("Line");

const Name = z.string().trim().min(1).max(120);
const Voice = z.string().trim().min(1).max(100).openapi({ example: "female" });
const ConfigInput = z.record(z.string(), z.unknown()).openapi({
  description: `The product's own config: ${PRODUCTS.map((p) => `\`${p}\` takes a ${configComponentName(p)}`).join("; ")}.`,
  oneOf: PRODUCTS.map((p) => ({ $ref: `#/components/schemas/${configComponentName(p)}` })),
});

const MerchantId = z.string().min(1).max(200).openapi({
  description: "A merchant whose Stripe account can take charges; its lines' money goes to it",
  example: "mer_7Qd2kLmN0pXs4TuV8wYz",
});

export const LineCreate = z
  .object({
    number: E164,
    name: Name,
    product: z.enum(PRODUCTS),
    voice: Voice.default("female"),
    config: ConfigInput.default({}),
    merchant_id: MerchantId.nullable().optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    // Runs even when other fields failed, so one 422 names every bad field, config's included.
    if (!isProduct(body.product) || typeof body.config !== "object") return;
    const check = checkLineConfig(body.product, body.config);
    if (!check.ok)
      for (const e of check.errors)
        ctx.addIssue({ code: "custom", path: e.field.split("."), message: e.message });
  })
  .openapi("LineCreate");

export const LineUpdate = z
  .object({
    number: E164,
    name: Name,
    product: z.enum(PRODUCTS),
    voice: Voice,
    config: ConfigInput,
    active: z.boolean(),
    merchant_id: MerchantId.nullable(),
  })
  .partial()
  .strict()
  .openapi("LineUpdate");

export type LineRow = typeof lines.$inferSelect;
export const renderLine = (row: LineRow) => ({
  id: row.id,
  number: row.number,
  name: row.name,
  product: row.product,
  voice: row.voice,
  config: row.config,
  active: row.active,
  merchant_id: row.merchantId,
  created_at: toIso(row.createdAt),
  updated_at: toIso(row.updatedAt),
});

export const LineParams = z.object({ lineId: idParam("lineId", "ln_4fJ9s0QbXk2mT7aLzP1c") });

export async function findLine(db: Db, lineId: string): Promise<LineRow> {
  const [row] = await db.select().from(lines).where(eq(lines.id, lineId)).limit(1);
  if (!row) throw notFoundProblem(`Line ${lineId}`);
  return row;
}
