/**
 * The one list convention: `?limit=` (1–200, default 50) and an opaque `?cursor=` (base64url of
 * the last row's sort key), answered as `{ data, next_cursor }`. Keyset paging, not offsets, so a
 * page never skips or repeats rows while calls are being written. Every sort key ends in the id.
 */
import { z } from "@hono/zod-openapi";
import { and, eq, gt, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { validationProblem } from "./problem";

export const pageQuery = {
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(200)
    .default(50)
    .openapi({ param: { name: "limit", in: "query" }, type: "integer", example: 50 }),
  cursor: z
    .string()
    .max(500)
    .optional()
    .openapi({ param: { name: "cursor", in: "query" }, description: "next_cursor from the previous page" }),
};

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() }).openapi(name);
}

export type SortKey = [number, string];

export function encodeCursor(key: SortKey): string {
  const bytes = new TextEncoder().encode(JSON.stringify(key));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

export function decodeCursor(cursor: string): SortKey {
  try {
    const binary = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
    const parsed: unknown = JSON.parse(
      new TextDecoder().decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0))),
    );
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string") {
      return [parsed[0], parsed[1]];
    }
  } catch {
    // fall through: any undecodable cursor is the client's mistake
  }
  throw validationProblem([
    { field: "cursor", message: "Invalid cursor; pass next_cursor from a previous page." },
  ]);
}

export type Direction = "asc" | "desc";

/** WHERE part selecting rows strictly after the cursor in (sortColumn, idColumn) order. */
export function afterCursor(
  cursor: string | undefined,
  sortColumn: SQLiteColumn,
  idColumn: SQLiteColumn,
  direction: Direction,
): SQL | undefined {
  return cursor === undefined ? undefined : afterKey(decodeCursor(cursor), sortColumn, idColumn, direction);
}

export function afterKey(
  key: SortKey,
  sortColumn: SQLiteColumn,
  idColumn: SQLiteColumn,
  direction: Direction,
): SQL | undefined {
  const [value, id] = key;
  const beyond = direction === "asc" ? gt : lt;
  return or(beyond(sortColumn, value), and(eq(sortColumn, value), beyond(idColumn, id)));
}

/** Callers fetch limit + 1 rows; the extra row only tells whether another page exists. */
export function toPage<Row, Out>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => SortKey,
  render: (row: Row) => Out,
): { data: Out[]; next_cursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const next = rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null;
  return { data: page.map(render), next_cursor: next };
}
