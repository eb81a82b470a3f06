/**
 * A page of one customer's dated rows (notes, change history), newest first, keyed by (at, id) so
 * a page never skips or repeats a row written meanwhile.
 */
import { and, desc, eq } from "drizzle-orm";
import { afterCursor, toPage } from "../../../api/paging";
import type { customerChanges, customerNotes } from "../schema";
import type { Reader } from "./customer-reads";

type DatedTable = typeof customerNotes | typeof customerChanges;

export async function newestFirstPage<T extends DatedTable, Out>(
  db: Reader,
  table: T,
  customerId: string,
  q: { limit: number; cursor?: string | undefined },
  render: (row: T["$inferSelect"]) => Out,
): Promise<{ data: Out[]; next_cursor: string | null }> {
  const rows = (await db
    .select()
    .from(table as typeof customerNotes)
    .where(and(eq(table.customerId, customerId), afterCursor(q.cursor, table.at, table.id, "desc")))
    .orderBy(desc(table.at), desc(table.id))
    .limit(q.limit + 1)) as T["$inferSelect"][];
  return toPage(rows, q.limit, (r) => [r.at, r.id], render);
}
