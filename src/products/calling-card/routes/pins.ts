/**
 * A batch's PINs: view them in pages by status, export them as CSV (pin-export.ts: streamed page
 * by page), block or unblock one, and register caller numbers for pinless calls. Showing a PIN
 * needs admin scope. Uploading them is pin-upload.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { decodeCursor, encodeCursor, pageQuery } from "../../../api/paging";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import {
  createdHeaders,
  E164,
  idParam,
  IsoTime,
  jsonContent as json,
  locationOf,
  toIso,
  toIsoOrNull,
} from "../../../api/schemas";
import { loadConfig } from "../../../config";
import { cardCallerIds, pins } from "../schema";
import { PIN_STATUSES, pinPage, type PinView } from "../db/pin-listing";
import { pinKeys } from "../pins/pin-crypto";
import { findBatch } from "./batch-schemas";
import { exportPins } from "./pin-export";
import { conflict } from "./card-api";

const tag = ["Calling cards"];
const BatchParams = z.object({ batchId: idParam("batchId", "pb_8fQ2mL0xT3kV9nR1") });
const PinParams = z.object({ pinId: idParam("pinId", "1042") });
/** A PIN's id is a row number: anything else names no PIN (404), and never reaches a query as NaN. */
function pinIdOf(raw: string): number {
  const id = /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id)) throw notFoundProblem(`PIN ${raw}`);
  return id;
}
const keysOf = (env: Env) => {
  const cfg = loadConfig(env);
  return pinKeys(cfg.PIN_HMAC_KEY, cfg.PIN_ENCRYPTION_KEY);
};

const PinSchema = z
  .object({
    id: z.number().int(),
    seq: z.number().int(),
    number: z.string().openapi({ example: "048213977604" }),
    status: z.enum(PIN_STATUSES),
    account_id: z.string().nullable(),
    value: z
      .number()
      .int()
      .openapi({ description: "The balance once activated, else the face value (minor units)" }),
    currency: z.string(),
    effective_date: IsoTime,
    expiration_date: IsoTime,
    activation_date: IsoTime.nullable(),
    expiration_days_after_activation: z.number().int(),
  })
  .openapi("Pin");

const CallerId = z.object({ pin_id: z.number().int(), number: z.string() }).openapi("CardCallerId");

const renderPin = (p: PinView) => ({
  id: p.id,
  seq: p.seq,
  number: p.number,
  status: p.status,
  account_id: p.accountId,
  value: p.value,
  currency: p.currency,
  effective_date: toIso(p.effectiveAt),
  expiration_date: toIso(p.expiresAt),
  activation_date: toIsoOrNull(p.activatedAt),
  expiration_days_after_activation: p.expiryDays,
});

export const pinsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/pin-batches/{batchId}/pins",
      tags: tag,
      summary: "View a batch's PINs with their details, in batch order (admin: shows the PINs)",
      ...scoped("admin"),
      request: {
        params: BatchParams,
        query: z.object({ ...pageQuery, status: z.enum(PIN_STATUSES).optional() }),
      },
      responses: {
        200: {
          description: "A page of PINs",
          content: json(
            z.object({ data: z.array(PinSchema), next_cursor: z.string().nullable() }).openapi("PinPage"),
          ),
        },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const batch = await findBatch(db, c.req.valid("param").batchId);
      const q = c.req.valid("query");
      const after = q.cursor === undefined ? 0 : decodeCursor(q.cursor)[0];
      const page = await pinPage(db.$client, await keysOf(c.env), {
        batchId: batch.id,
        afterSeq: after,
        limit: q.limit + 1,
        now: Date.now(),
        ...(q.status ? { status: q.status } : {}),
      });
      const shown = page.slice(0, q.limit);
      const last = shown[shown.length - 1];
      return c.json(
        {
          data: shown.map(renderPin),
          next_cursor: page.length > q.limit && last ? encodeCursor([last.seq, String(last.id)]) : null,
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/pin-batches/{batchId}/pins.csv",
      tags: tag,
      summary:
        "Export a batch's PINs as CSV: number, status, value, effective, expiration and activation dates, expiration period",
      ...scoped("admin"),
      request: { params: BatchParams, query: z.object({ status: z.enum(PIN_STATUSES).optional() }) },
      responses: {
        200: {
          description: "RFC 4180 CSV with a header row, streamed",
          content: { "text/csv": { schema: z.string() } },
        },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const batch = await findBatch(db, c.req.valid("param").batchId);
      const status = c.req.valid("query").status;
      const stream = exportPins(db.$client, await keysOf(c.env), batch.id, status);
      return new Response(stream, {
        headers: {
          "content-type": "text/csv; charset=utf-8",
          "content-disposition": `attachment; filename="${batch.id}-pins.csv"`,
        },
      });
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/pins/{pinId}",
      tags: tag,
      summary: "Block or unblock one card",
      ...scoped("admin"),
      request: {
        params: PinParams,
        body: { required: true, content: json(z.object({ blocked: z.boolean() }).strict()) },
      },
      responses: {
        200: {
          description: "Changed",
          content: json(z.object({ id: z.number().int(), blocked: z.boolean() })),
        },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const id = pinIdOf(c.req.valid("param").pinId);
      const { blocked } = c.req.valid("json");
      const done = await dbOf(c)
        .update(pins)
        .set({ blocked })
        .where(eq(pins.id, id))
        .returning({ id: pins.id });
      if (!done.length) throw notFoundProblem(`PIN ${id}`);
      return c.json({ id, blocked }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/pins/{pinId}/caller-ids",
      tags: tag,
      summary: "Register a caller number to a card for pinless (one-stage) calls",
      ...scoped("admin"),
      request: {
        params: PinParams,
        body: { required: true, content: json(z.object({ number: E164 }).strict()) },
      },
      responses: {
        201: { description: "Registered", headers: createdHeaders, content: json(CallerId) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const id = pinIdOf(c.req.valid("param").pinId);
      const { number } = c.req.valid("json");
      const db = dbOf(c);
      const [pin] = await db.select({ id: pins.id }).from(pins).where(eq(pins.id, id)).limit(1);
      if (!pin) throw notFoundProblem(`PIN ${c.req.valid("param").pinId}`);
      const added = await db
        .insert(cardCallerIds)
        .values({ number, pinId: id })
        .onConflictDoNothing()
        .returning();
      if (!added.length) throw conflict(`${number} is already registered to a card.`);
      return c.json({ pin_id: id, number }, 201, { location: locationOf(c, number) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/pins/{pinId}/caller-ids/{number}",
      tags: tag,
      summary: "A caller number registered to a card",
      ...scoped("admin"),
      request: {
        params: PinParams.extend({ number: E164.openapi({ param: { name: "number", in: "path" } }) }),
      },
      responses: {
        200: { description: "Registered", content: json(CallerId) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { pinId, number } = c.req.valid("param");
      const [row] = await dbOf(c)
        .select()
        .from(cardCallerIds)
        .where(and(eq(cardCallerIds.number, number), eq(cardCallerIds.pinId, pinIdOf(pinId))))
        .limit(1);
      if (!row) throw notFoundProblem(`Caller number ${number} on PIN ${pinId}`);
      return c.json({ pin_id: row.pinId, number: row.number }, 200);
    },
  );
