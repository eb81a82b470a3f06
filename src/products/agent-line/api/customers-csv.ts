/**
 * GET /v1/customers.csv: the customer register as a spreadsheet, same filters as /v1/customers,
 * newest first, every matching customer (streamed in keyset batches, as /v1/calls.csv is). Money
 * in öre and as a decimal in the price list's currency; cells a spreadsheet would run as a formula
 * are neutralised by csvLine. Never the code: only whether one is set.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { csvLine } from "../../../api/csv";
import { afterKey } from "../../../api/paging";
import { problemResponses } from "../../../api/problem";
import { toIso } from "../../../api/schemas";
import { minorToDecimal } from "../../../billing/currency";
import type { Db } from "../../../db/client";
import { customers, priceLists } from "../schema";
import type { CustomerRow } from "./customer-changes";
import { CUSTOMER_TAG } from "./customer-schemas";
import { customerFilterQuery, customerFilterSql } from "./customer-filters";
import { numbersOf } from "./customer-reads";

const BATCH = 500;
const HEADER = [
  "id",
  "name",
  "street",
  "postal_code",
  "city",
  "country",
  "email",
  "status",
  "numbers",
  "credit_limit_minor",
  "credit_limit",
  "open_balance_minor",
  "open_balance",
  "price_per_minute_minor",
  "price_per_minute",
  "currency",
  "price_list_id",
  "discount_bp",
  "has_customer_code",
  "line_id",
  "paid_invoices",
  "created_at",
  "updated_at",
] as const;

interface Row {
  customer: CustomerRow;
  currency: string | null;
}

function csvRowOf({ customer: r, currency }: Row, numbers: string[]): string {
  const cur = currency ?? "sek";
  return csvLine([
    r.id,
    r.name,
    r.street,
    r.postalCode,
    r.city,
    r.country,
    r.email,
    r.status,
    numbers.join(" "),
    r.creditLimit,
    minorToDecimal(r.creditLimit, cur),
    r.openBalance,
    minorToDecimal(r.openBalance, cur),
    r.pricePerMinute,
    r.pricePerMinute === null ? null : minorToDecimal(r.pricePerMinute, cur),
    cur,
    r.priceListId,
    r.discountBp,
    r.codeHash === null ? "false" : "true",
    r.lineId,
    r.paidInvoices,
    toIso(r.createdAt),
    toIso(r.updatedAt),
  ]);
}

/** One batch: its CSV lines, and the last row (where the next batch starts) when it was full. */
interface Batch {
  lines: string[];
  next: Row | undefined;
}

async function batchAfter(db: Db, filters: (SQL | undefined)[], last: Row | undefined): Promise<Batch> {
  const after = last
    ? afterKey([last.customer.createdAt, last.customer.id], customers.createdAt, customers.id, "desc")
    : undefined;
  const rows = await db
    .select({ customer: customers, currency: priceLists.currency })
    .from(customers)
    .leftJoin(priceLists, eq(priceLists.id, customers.priceListId))
    .where(and(...filters, after))
    .orderBy(desc(customers.createdAt), desc(customers.id))
    .limit(BATCH);
  const numbers = await numbersOf(
    db,
    rows.map((r) => r.customer.id),
  );
  return {
    lines: rows.map((r) => csvRowOf(r, numbers.get(r.customer.id) ?? [])),
    next: rows.length === BATCH ? rows[rows.length - 1] : undefined,
  };
}

export const customersCsvRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/customers.csv",
    tags: CUSTOMER_TAG,
    summary: "Export customers as CSV (same filters as the customer list)",
    ...scoped(...READ_SCOPES),
    request: { query: customerFilterQuery({}) },
    responses: {
      200: {
        description: "RFC 4180 CSV with a header row; *_minor columns in öre, the others as decimals",
        content: { "text/csv": { schema: z.string() } },
      },
      ...problemResponses(401, 403, 422),
    },
  }),
  async (c) => {
    const db = dbOf(c);
    const filters = await customerFilterSql(c.req.valid("query"), c.env);
    const encoder = new TextEncoder();
    let batch = await batchAfter(db, filters, undefined);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode(csvLine(HEADER)));
      },
      async pull(controller) {
        controller.enqueue(encoder.encode(batch.lines.join("")));
        if (!batch.next) return controller.close();
        try {
          batch = await batchAfter(db, filters, batch.next);
        } catch (err) {
          console.error(
            JSON.stringify({
              level: "error",
              msg: "customers_csv_batch_failed",
              error: String(err).slice(0, 200),
            }),
          );
          controller.error(err);
        }
      },
    });
    return new Response(stream, {
      headers: {
        "content-type": "text/csv; charset=utf-8",
        "content-disposition": 'attachment; filename="customers.csv"',
      },
    });
  },
);
