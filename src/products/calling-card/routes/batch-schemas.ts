/**
 * A PIN batch's wire shapes and lookup: what an admin sends to create one (every field of the
 * seed's form; the required ones named when missing) and what the API shows, job progress included.
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { notFoundProblem } from "../../../api/problem";
import { IsoTime, toIso } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { pinBatches } from "../schema";
import type { JobProgress } from "../jobs/pin-batch-job";
import { Currency, DateInput, Minor } from "./card-api";

/** "8.875" (percent) → 88 750 parts per million, exactly. */
export function percentToPpm(text: string): number | null {
  const m = /^(\d{1,2}|100)(?:\.(\d{1,4}))?$/.exec(text);
  if (!m) return null;
  return Number(m[1]) * 10_000 + Number((m[2] ?? "").padEnd(4, "0"));
}

export const BatchCreate = z
  .object({
    name: z.string().trim().min(1).max(120),
    currency: Currency,
    face_value: Minor.min(1),
    pin_count: z.int().min(1).max(5_000_000),
    effective_date: DateInput,
    expiration_date: DateInput,
    expiration_days_after_activation: z.int().min(1).max(3650),
    taxable: z.boolean().default(false),
    tax_jurisdiction: z
      .object({
        name: z.string().trim().min(1).max(120),
        rate_percent: z
          .string()
          .refine((v) => percentToPpm(v) !== null, "must be a percentage like 8.875 (up to 4 decimals)")
          .openapi({ example: "8.875" }),
      })
      .strict()
      .optional(),
    plan_id: z.string().min(1).max(60).optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    if (b.taxable && !b.tax_jurisdiction)
      ctx.addIssue({
        code: "custom",
        path: ["tax_jurisdiction"],
        message: "is required when taxable is true",
      });
    if (Date.parse(b.expiration_date) <= Date.parse(b.effective_date))
      ctx.addIssue({ code: "custom", path: ["expiration_date"], message: "must be after effective_date" });
  })
  .openapi("PinBatchCreate");

export const BatchUpdate = z
  .object({
    plan_id: z.string().min(1).max(60).nullable(),
    blocked: z.boolean(),
  })
  .partial()
  .strict()
  .openapi("PinBatchUpdate");

const Job = z.object({
  status: z.enum(["running", "done"]),
  done: z.number().int(),
  total: z.number().int(),
  rate_per_sec: z.number().int(),
  eta_sec: z.number().int().nullable(),
  started_at: IsoTime,
  updated_at: IsoTime,
  last_error: z.string().nullable(),
});

export const BatchSchema = z
  .object({
    id: z.string().openapi({ example: "pb_8fQ2mL0xT3kV9nR1" }),
    name: z.string(),
    currency: z.string(),
    face_value: z.number().int(),
    pin_count: z.number().int(),
    effective_date: IsoTime,
    expiration_date: IsoTime,
    expiration_days_after_activation: z.number().int(),
    taxable: z.boolean(),
    tax_jurisdiction: z.object({ name: z.string(), rate_ppm: z.number().int() }).nullable(),
    plan_id: z.string().nullable(),
    blocked: z.boolean(),
    status: z.enum(["empty", "generating", "ready", "failed"]),
    source: z.enum(["generated", "uploaded"]).nullable(),
    job: Job.nullable(),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .openapi("PinBatch");

export type BatchRow = typeof pinBatches.$inferSelect;

export const renderJob = (p: JobProgress | null) =>
  p && {
    status: p.status,
    done: p.done,
    total: p.total,
    rate_per_sec: p.rate,
    eta_sec: p.etaSec,
    started_at: toIso(p.startedAt),
    updated_at: toIso(p.updatedAt),
    last_error: p.lastError,
  };

export const renderBatch = (row: BatchRow, job: JobProgress | null = null) => ({
  id: row.id,
  name: row.name,
  currency: row.currency,
  face_value: row.faceValue,
  pin_count: row.pinCount,
  effective_date: toIso(row.effectiveAt),
  expiration_date: toIso(row.expiresAt),
  expiration_days_after_activation: row.expiryDays,
  taxable: row.taxable,
  tax_jurisdiction: row.taxable ? { name: row.taxName ?? "", rate_ppm: row.taxRatePpm } : null,
  plan_id: row.planId,
  blocked: row.blocked,
  status: row.status,
  source: row.source,
  job: renderJob(job),
  created_at: toIso(row.createdAt),
  updated_at: toIso(row.updatedAt),
});

export async function findBatch(db: Db, batchId: string): Promise<BatchRow> {
  const [row] = await db.select().from(pinBatches).where(eq(pinBatches.id, batchId)).limit(1);
  if (!row) throw notFoundProblem(`PIN batch ${batchId}`);
  return row;
}
