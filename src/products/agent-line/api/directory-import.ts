/**
 * POST /v1/directory/import: the embedded address directory, replaced number by number from a CSV
 * file (text/csv, UTF-8, at most 5 MB). All or nothing: every row is checked first and any bad row
 * fails the whole file with a 422 naming each bad row by its line; a good file is upserted in one
 * batch (one transaction), so a half-imported directory never exists.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { ProblemError, problemResponses, validationProblem } from "../../../api/problem";
import { jsonContent as json } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { readBodyUpTo } from "../../../routes/webhook-body";
import { addressDirectory } from "../schema";
import { DIRECTORY_COLUMNS, directoryRowsOf, type DirectoryRow } from "./directory-rows";
import { parseCsv } from "./parse-csv";
import { DiallingCountry } from "./phone-input";

export const DIRECTORY_TAG = ["Address directory"];
const MAX_BYTES = 5 * 1024 * 1024;
/** A file of nothing but bad rows would make a 422 larger than the file: the first ones suffice. */
const MAX_ERRORS = 1000;
/** Rows per INSERT: 7 values each stays far below SQLite's bound-parameter limit. */
const ROWS_PER_STATEMENT = 200;

const unsupported = (detail: string) => new ProblemError(415, "Unsupported Media Type", detail);

function refuseUnlessUtf8Csv(contentType: string | undefined): void {
  const [essence = "", ...params] = (contentType ?? "").split(";").map((p) => p.trim().toLowerCase());
  if (essence !== "text/csv")
    throw unsupported("Send the file as CSV, with the header 'Content-Type: text/csv'.");
  const charset = params.find((p) => p.startsWith("charset="))?.slice("charset=".length);
  if (charset && charset.replaceAll('"', "") !== "utf-8")
    throw unsupported("Send the file as UTF-8 ('Content-Type: text/csv; charset=utf-8').");
}

async function upsert(db: Db, rows: DirectoryRow[], now: number): Promise<void> {
  const statements = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    const values = rows.slice(i, i + ROWS_PER_STATEMENT).map((r) => ({ ...r, importedAt: now }));
    statements.push(
      db
        .insert(addressDirectory)
        .values(values)
        .onConflictDoUpdate({
          target: addressDirectory.number,
          set: {
            name: sql`excluded.name`,
            street: sql`excluded.street`,
            postalCode: sql`excluded.postal_code`,
            city: sql`excluded.city`,
            secret: sql`excluded.secret`,
            importedAt: sql`excluded.imported_at`,
          },
        }),
    );
  }
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

export const directoryImportRouter = createApiRouter().openapi(
  createRoute({
    method: "post",
    path: "/directory/import",
    tags: DIRECTORY_TAG,
    summary: "Import address directory rows from CSV (all rows or none; existing numbers are replaced)",
    ...scoped("admin"),
    request: {
      query: z.object({ country: DiallingCountry }),
      body: {
        required: true,
        description: `UTF-8 CSV with a header row: ${DIRECTORY_COLUMNS.join(",")} (number and name required; secret is true/false/yes/no/1/0 or empty). At most 5 MB.`,
        content: {
          "text/csv": {
            schema: z.string().openapi({
              example: `${DIRECTORY_COLUMNS.join(",")}\n08-123 45 67,Anna Berg,Storgatan 1,111 22,Stockholm,no\n`,
            }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "Every row imported",
        content: json(z.object({ imported: z.int() }).openapi("DirectoryImport")),
      },
      ...problemResponses(401, 403, 413, 415, 422),
    },
  }),
  async (c) => {
    refuseUnlessUtf8Csv(c.req.header("content-type"));
    const text = await readBodyUpTo(c.req.raw, MAX_BYTES);
    if (text === null)
      throw new ProblemError(
        413,
        "Content Too Large",
        "The file is larger than 5 MB; split it into smaller files.",
      );
    // TextDecoder puts U+FFFD where bytes were not UTF-8 (a Windows-1252 export, typically).
    if (text.includes("\uFFFD"))
      throw validationProblem([{ field: "body", message: "is not UTF-8 text: save the file as CSV UTF-8" }]);
    const result = directoryRowsOf(parseCsv(text), c.req.valid("query").country);
    if (!result.ok) {
      const problem = validationProblem(result.errors.slice(0, MAX_ERRORS));
      if (result.errors.length <= MAX_ERRORS) throw problem;
      throw new ProblemError(
        422,
        problem.title,
        `Nothing was imported. ${result.errors.length} fields are bad; the first ${MAX_ERRORS} are listed.`,
        problem.type,
        problem.extra,
      );
    }
    await upsert(dbOf(c), result.rows, Date.now());
    return c.json({ imported: result.rows.length }, 200);
  },
);
