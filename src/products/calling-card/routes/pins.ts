/**
 * A batch's PINs: upload them from CSV (every row checked, every bad row named by its line,
 * duplicates in the file or against any existing PIN refused; all or nothing), view them in pages
 * by status, export them as CSV (streamed page by page: flat memory for a million PINs), block or
 * unblock one, and register caller numbers for pinless calls. Showing a PIN needs admin scope.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { csvLine } from "../../../api/csv";
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
import { minorToDecimal } from "../../../billing/currency";
import { loadConfig } from "../../../config";
import { cardCallerIds, pinBatches, pins } from "../../../db/schema";
import { existingHashes, insertStatements, sealPins } from "../db/pin-store";
import { PIN_STATUSES, pinPage, type PinView } from "../db/pin-listing";
import { UPLOADED_PIN } from "../pins/pin-codes";
import { pinKeys } from "../pins/pin-crypto";
import { findBatch } from "./batch-schemas";
import { conflict, csvBody, csvProblem } from "./card-api";
import { readCsv } from "./csv-rows";

const tag = ["Calling cards"];
const BatchParams = z.object({ batchId: idParam("batchId", "pb_8fQ2mL0xT3kV9nR1") });
const PinParams = z.object({ pinId: idParam("pinId", "1042") });
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

const EXPORT_HEADER = [
  "number",
  "status",
  "value_minor",
  "value",
  "currency",
  "effective_date",
  "expiration_date",
  "activation_date",
  "expiration_days_after_activation",
];
const csvOf = (p: PinView) =>
  csvLine([
    p.number,
    p.status,
    p.value,
    minorToDecimal(p.value, p.currency),
    p.currency,
    toIso(p.effectiveAt),
    toIso(p.expiresAt),
    toIsoOrNull(p.activatedAt),
    p.expiryDays,
  ]);

/** The rows of an upload, checked: PINs by line, or every problem by line. */
function checkUpload(text: string) {
  const { rows, malformed } = readCsv(text);
  const errors = malformed.map((line) => ({
    field: `line ${line}`,
    message: "is not a CSV row (check its quotes)",
  }));
  const first = rows[0];
  const body = first && !/^\d+$/.test(first.cells[0] ?? "") ? rows.slice(1) : rows; // a header row
  const seen = new Map<string, number>();
  const accepted: { line: number; pin: string }[] = [];
  for (const row of body) {
    const pin = row.cells[0] ?? "";
    if (!UPLOADED_PIN.test(pin))
      errors.push({ field: `line ${row.line}`, message: "the PIN must be 10 to 16 digits" });
    else if (seen.has(pin))
      errors.push({ field: `line ${row.line}`, message: `repeats the PIN on line ${seen.get(pin)}` });
    else {
      seen.set(pin, row.line);
      accepted.push({ line: row.line, pin });
    }
  }
  return { accepted, errors };
}

export const pinsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/pin-batches/{batchId}/upload",
      tags: tag,
      summary: "Upload a batch's PINs from CSV (first column; a header row is allowed); all or nothing",
      ...scoped("admin"),
      request: {
        params: BatchParams,
        body: { required: true, content: { "text/csv": { schema: z.string() } } },
      },
      responses: {
        200: {
          description: "Uploaded: the batch is ready",
          content: json(z.object({ batch_id: z.string(), uploaded: z.number().int() })),
        },
        ...problemResponses(401, 403, 404, 409, 415, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const batch = await findBatch(db, c.req.valid("param").batchId);
      const text = await csvBody(c.req);
      if (batch.status !== "empty")
        throw conflict(`Batch ${batch.id} already has its PINs (status ${batch.status}).`);
      const { accepted, errors } = checkUpload(text);
      if (errors.length === 0 && accepted.length !== batch.pinCount)
        errors.push({
          field: "file",
          message: `has ${accepted.length} PINs; the batch is for ${batch.pinCount}`,
        });
      if (errors.length) throw csvProblem(errors);
      const keys = await keysOf(c.env);
      const sealed = await sealPins(
        keys,
        accepted.map((a, i) => ({ seq: i + 1, pin: a.pin })),
      );
      const taken = await existingHashes(
        db.$client,
        sealed.map((s) => s.hash),
      );
      if (taken.size)
        throw csvProblem(
          sealed.flatMap((s, i) =>
            taken.has(s.hash)
              ? [{ field: `line ${accepted[i]!.line}`, message: "this PIN already exists" }]
              : [],
          ),
        );
      // Written in chunks under a batch nobody can use yet; ready only once every row is in.
      const statements = insertStatements(batch.id, sealed);
      try {
        for (let i = 0; i < statements.length; i += 10)
          await db.$client.batch(statements.slice(i, i + 10), "write");
        const count = await db.$client.execute({
          sql: "SELECT count(*) AS n FROM cc_pins WHERE batch_id = ?",
          args: [batch.id],
        });
        if (Number(count.rows[0]?.n) !== sealed.length) throw new Error("a PIN was taken meanwhile");
      } catch (err) {
        await db.$client.execute({ sql: "DELETE FROM cc_pins WHERE batch_id = ?", args: [batch.id] });
        if (err instanceof Error && err.message === "a PIN was taken meanwhile")
          throw conflict(
            "A PIN of this file was created by someone else meanwhile; nothing was changed. Try again.",
          );
        throw err;
      }
      await db
        .update(pinBatches)
        .set({ status: "ready", source: "uploaded", updatedAt: Date.now() })
        .where(eq(pinBatches.id, batch.id));
      return c.json({ batch_id: batch.id, uploaded: sealed.length }, 200);
    },
  )
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
      const id = Number(c.req.valid("param").pinId);
      const { blocked } = c.req.valid("json");
      const done = await dbOf(c)
        .update(pins)
        .set({ blocked })
        .where(eq(pins.id, id))
        .returning({ id: pins.id });
      if (!done.length || !Number.isSafeInteger(id))
        throw notFoundProblem(`PIN ${c.req.valid("param").pinId}`);
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
      const id = Number(c.req.valid("param").pinId);
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
        .where(and(eq(cardCallerIds.number, number), eq(cardCallerIds.pinId, Number(pinId))))
        .limit(1);
      if (!row) throw notFoundProblem(`Caller number ${number} on PIN ${pinId}`);
      return c.json({ pin_id: row.pinId, number: row.number }, 200);
    },
  );

const EXPORT_PAGE = 5_000;

/** The export as a stream: one keyset page of PINs per pull, so memory stays flat. */
export function exportPins(
  client: Parameters<typeof pinPage>[0],
  keys: Parameters<typeof pinPage>[1],
  batchId: string,
  status?: (typeof PIN_STATUSES)[number],
) {
  const encoder = new TextEncoder();
  let after = 0;
  const now = Date.now();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(EXPORT_HEADER)));
    },
    async pull(controller) {
      const page = await pinPage(client, keys, {
        batchId,
        afterSeq: after,
        limit: EXPORT_PAGE,
        now,
        ...(status ? { status } : {}),
      });
      if (page.length) controller.enqueue(encoder.encode(page.map(csvOf).join("")));
      if (page.length < EXPORT_PAGE) controller.close();
      else after = page[page.length - 1]!.seq;
    },
  });
}
