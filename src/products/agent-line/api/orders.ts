/**
 * /v1/orders: one order per agent-line call (talk at the customer's price), newest first, and
 * the same list as a streamed CSV. Read-only: orders are written when a call settles.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { csvResponse } from "../../../api/csv-stream";
import { afterCursor, afterKey, pageOf, pageQuery, toPage } from "../../../api/paging";
import { problemResponses } from "../../../api/problem";
import { BooleanQuery, jsonContent as json } from "../../../api/schemas";
import { minorToDecimal } from "../../../billing/currency";
import { orders } from "../schema";
import { OrderSchema, renderOrder } from "./invoice-render";

const filterQuery = {
  customer_id: z.string().max(64).optional(),
  line_id: z.string().max(64).optional(),
  invoiced: BooleanQuery.optional().openapi({ description: "true: on an invoice; false: still open" }),
};
type Filters = { customer_id?: string; line_id?: string; invoiced?: boolean };

const filterSql = (q: Filters): (SQL | undefined)[] => [
  q.customer_id === undefined ? undefined : eq(orders.customerId, q.customer_id),
  q.line_id === undefined ? undefined : eq(orders.lineId, q.line_id),
  q.invoiced === undefined ? undefined : q.invoiced ? isNotNull(orders.invoiceId) : isNull(orders.invoiceId),
];

const tag = ["Agent line: orders and invoices"];

export const ordersRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/orders",
      tags: tag,
      summary: "List orders (one per agent-line call), newest first",
      ...scoped(...READ_SCOPES),
      request: { query: z.object({ ...pageQuery, ...filterQuery }) },
      responses: {
        200: { description: "A page of orders", content: json(pageOf(OrderSchema, "OrderPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await dbOf(c)
        .select()
        .from(orders)
        .where(and(...filterSql(q), afterCursor(q.cursor, orders.at, orders.id, "desc")))
        .orderBy(desc(orders.at), desc(orders.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.at, r.id], renderOrder),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/orders.csv",
      tags: tag,
      summary: "Export orders as CSV (same filters as the list)",
      ...scoped(...READ_SCOPES),
      request: { query: z.object(filterQuery) },
      responses: {
        200: {
          description: "RFC 4180 CSV; *_minor columns in öre, amount as a decimal",
          content: { "text/csv": { schema: z.string() } },
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const db = dbOf(c);
      return csvResponse<typeof orders.$inferSelect>({
        filename: "orders.csv",
        header: [
          "id",
          "at",
          "customer_id",
          "line_id",
          "talk_seconds",
          "billable_seconds",
          "article_nr",
          "price_per_minute_minor",
          "extras_minor",
          "amount_minor",
          "amount",
          "currency",
          "vat_rate_bp",
          "invoice_id",
        ],
        batch: (last, size) =>
          db
            .select()
            .from(orders)
            .where(
              and(
                ...filterSql(q),
                last ? afterKey([last.at, last.id], orders.at, orders.id, "desc") : undefined,
              ),
            )
            .orderBy(desc(orders.at), desc(orders.id))
            .limit(size),
        row: (o) => {
          const r = renderOrder(o);
          return [
            r.id,
            r.at,
            r.customer_id,
            r.line_id,
            r.talk_seconds,
            r.billable_seconds,
            r.article_nr,
            r.price_per_minute,
            r.extras,
            r.amount,
            minorToDecimal(r.amount, o.currency),
            o.currency,
            r.vat_rate_bp,
            r.invoice_id,
          ];
        },
      });
    },
  );
