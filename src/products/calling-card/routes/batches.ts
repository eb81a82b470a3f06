/**
 * /v1/pin-batches: create a batch (the seed's fields; tax jurisdiction when taxable; a plan of the
 * same currency), list and read batches with their generation job's progress, assign a plan,
 * block or unblock every card of a batch, and start generating its PINs as a background job.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../../api/paging";
import { problemResponses, validationProblem } from "../../../api/problem";
import { createdHeaders, idParam, jsonContent as json, locationOf } from "../../../api/schemas";
import { isUniqueViolation } from "../../../api/sql-errors";
import type { Db } from "../../../db/client";
import { pinBatches } from "../schema";
import { findPlan } from "./plans";
import { conflict, newCardId, toMs } from "./card-api";
import {
  BatchCreate,
  BatchSchema,
  BatchUpdate,
  findBatch,
  percentToPpm,
  renderBatch,
  renderJob,
  type BatchRow,
} from "./batch-schemas";

const tag = ["Calling cards"];
const BatchParams = z.object({ batchId: idParam("batchId", "pb_8fQ2mL0xT3kV9nR1") });

async function checkPlan(db: Db, planId: string, currency: string): Promise<void> {
  const plan = await findPlan(db, planId).catch(() => null);
  if (!plan) throw validationProblem([{ field: "plan_id", message: "is not a calling-card plan" }]);
  if (plan.currency !== currency)
    throw validationProblem([
      { field: "plan_id", message: `is a ${plan.currency} plan; this batch is in ${currency}` },
    ]);
}

const jobOf = (env: Env, row: BatchRow) =>
  row.status === "generating" || row.source === "generated"
    ? env.PIN_BATCH_JOB.getByName(row.id).progress()
    : Promise.resolve(null);

export const batchesRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/pin-batches",
      tags: tag,
      summary: "Create a PIN batch (then generate its PINs or upload them)",
      ...scoped("admin"),
      request: { body: { required: true, content: json(BatchCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(BatchSchema) },
        ...problemResponses(401, 403, 409, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = dbOf(c);
      if (body.plan_id) await checkPlan(db, body.plan_id, body.currency);
      const now = Date.now();
      const row: BatchRow = {
        id: newCardId("pb"),
        name: body.name,
        currency: body.currency,
        faceValue: body.face_value,
        pinCount: body.pin_count,
        effectiveAt: toMs(body.effective_date),
        expiresAt: toMs(body.expiration_date),
        expiryDays: body.expiration_days_after_activation,
        taxable: body.taxable,
        taxName: body.tax_jurisdiction?.name ?? null,
        taxRatePpm:
          body.tax_jurisdiction && body.taxable ? (percentToPpm(body.tax_jurisdiction.rate_percent) ?? 0) : 0,
        planId: body.plan_id ?? null,
        blocked: false,
        status: "empty",
        source: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.insert(pinBatches).values(row);
      } catch (err) {
        if (isUniqueViolation(err, "cc_batches.name"))
          throw conflict(`A batch named "${body.name}" already exists.`);
        throw err;
      }
      return c.json(renderBatch(row), 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/pin-batches",
      tags: tag,
      summary: "List PIN batches, newest first",
      ...scoped(...READ_SCOPES),
      request: { query: z.object(pageQuery) },
      responses: {
        200: { description: "A page of batches", content: json(pageOf(BatchSchema, "PinBatchPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await dbOf(c)
        .select()
        .from(pinBatches)
        .where(afterCursor(q.cursor, pinBatches.createdAt, pinBatches.id, "desc"))
        .orderBy(desc(pinBatches.createdAt), desc(pinBatches.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(
          rows,
          q.limit,
          (r) => [r.createdAt, r.id],
          (r) => renderBatch(r),
        ),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/pin-batches/{batchId}",
      tags: tag,
      summary: "Get a PIN batch, with its generation job's progress (done, total, rate, ETA)",
      ...scoped(...READ_SCOPES),
      request: { params: BatchParams },
      responses: {
        200: { description: "The batch", content: json(BatchSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const row = await findBatch(dbOf(c), c.req.valid("param").batchId);
      return c.json(renderBatch(row, await jobOf(c.env, row)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/pin-batches/{batchId}",
      tags: tag,
      summary: "Assign a plan to a batch, or block / unblock all its cards",
      ...scoped("admin"),
      request: { params: BatchParams, body: { required: true, content: json(BatchUpdate) } },
      responses: {
        200: { description: "The batch", content: json(BatchSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const row = await findBatch(db, c.req.valid("param").batchId);
      const body = c.req.valid("json");
      if (body.plan_id) await checkPlan(db, body.plan_id, row.currency);
      const changes: Partial<BatchRow> = { updatedAt: Date.now() };
      if (body.plan_id !== undefined) changes.planId = body.plan_id;
      if (body.blocked !== undefined) changes.blocked = body.blocked;
      await db.update(pinBatches).set(changes).where(eq(pinBatches.id, row.id));
      return c.json(renderBatch({ ...row, ...changes }), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/pin-batches/{batchId}/generate",
      tags: tag,
      summary: "Generate the batch's PINs in the background (progress in the batch's job)",
      ...scoped("admin"),
      request: { params: BatchParams },
      responses: {
        202: { description: "Started (or already running)", content: json(BatchSchema) },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const row = await findBatch(db, c.req.valid("param").batchId);
      if (row.status !== "empty" && row.status !== "generating")
        throw conflict(`Batch ${row.id} already has its PINs (status ${row.status}).`);
      await db
        .update(pinBatches)
        .set({ status: "generating", source: "generated", updatedAt: Date.now() })
        .where(eq(pinBatches.id, row.id));
      const job = await c.env.PIN_BATCH_JOB.getByName(row.id).start(row.id, row.pinCount);
      return c.json(
        { ...renderBatch({ ...row, status: "generating", source: "generated" }), job: renderJob(job) },
        202,
      );
    },
  );
