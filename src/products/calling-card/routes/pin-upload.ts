/**
 * POST /v1/pin-batches/{batchId}/upload: a batch's PINs from CSV (first column; a header row is
 * allowed). Every row is checked and every bad one named by its line; a PIN repeated in the file
 * or existing anywhere is refused; all or nothing: rows are written under a batch nobody can use
 * yet, and removed again if anything fails, and the batch is ready only once all are in.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { problemResponses, type FieldError } from "../../../api/problem";
import { idParam, jsonContent as json } from "../../../api/schemas";
import { loadConfig } from "../../../config";
import { pinBatches } from "../schema";
import { existingHashes, insertStatements, sealPins } from "../db/pin-store";
import { UPLOADED_PIN } from "../pins/pin-codes";
import { pinKeys } from "../pins/pin-crypto";
import { findBatch } from "./batch-schemas";
import { conflict, csvBody, csvProblem } from "./card-api";
import { readCsv } from "./csv-rows";

const tag = ["Calling cards"];
const BatchParams = z.object({ batchId: idParam("batchId", "pb_8fQ2mL0xT3kV9nR1") });

/** The rows of an upload, checked: PINs by line, or every problem by line. */
export function checkUpload(text: string): {
  accepted: { line: number; pin: string }[];
  errors: FieldError[];
} {
  const { rows, malformed } = readCsv(text);
  const errors: FieldError[] = malformed.map((line) => ({
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

export const pinUploadRouter = createApiRouter().openapi(
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
    const cfg = loadConfig(c.env);
    const keys = await pinKeys(cfg.PIN_HMAC_KEY, cfg.PIN_ENCRYPTION_KEY);
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
);
