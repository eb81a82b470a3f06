/**
 * /v1/invoices: agent-line invoices and credit notes (newest first, with lines and totals), one
 * with its hand-off to the billing service, and the list as a streamed CSV. Changes to an
 * invoice are in invoice-actions.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, desc, eq, inArray, type SQL } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { csvResponse } from "../../../api/csv-stream";
import { afterCursor, afterKey, pageOf, pageQuery, toPage } from "../../../api/paging";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import { idParam, jsonContent as json, toIsoOrNull } from "../../../api/schemas";
import { minorToDecimal } from "../../../billing/currency";
import type { Db } from "../../../db/client";
import { handoffStatus, type HandoffStatus } from "../invoicing/billing-handoff";
import { invoiceTotals } from "../invoicing/invoice-math";
import { invoiceDetail, type InvoiceLineRow, type InvoiceRow } from "../invoicing/invoice-store";
import { invoiceLines, invoices } from "../schema";
import { InvoiceSchema, renderInvoice } from "./invoice-render";

const filterQuery = {
  customer_id: z.string().max(64).optional(),
  status: z.enum(["draft", "sent", "paid", "credited"]).optional(),
  kind: z.enum(["invoice", "credit_note"]).optional(),
  series: z.string().max(4).optional(),
};
type Filters = {
  customer_id?: string;
  status?: InvoiceRow["status"];
  kind?: InvoiceRow["kind"];
  series?: string;
};

const filterSql = (q: Filters): (SQL | undefined)[] => [
  q.customer_id === undefined ? undefined : eq(invoices.customerId, q.customer_id),
  q.status === undefined ? undefined : eq(invoices.status, q.status),
  q.kind === undefined ? undefined : eq(invoices.kind, q.kind),
  q.series === undefined ? undefined : eq(invoices.series, q.series),
];

/** The lines of a batch of invoices, one query. */
async function linesOf(db: Db, rows: InvoiceRow[]): Promise<Map<string, InvoiceLineRow[]>> {
  const byInvoice = new Map<string, InvoiceLineRow[]>(rows.map((r) => [r.id, []]));
  if (rows.length === 0) return byInvoice;
  const lines = await db
    .select()
    .from(invoiceLines)
    .where(inArray(invoiceLines.invoiceId, [...byInvoice.keys()]))
    .orderBy(asc(invoiceLines.invoiceId), asc(invoiceLines.seq));
  for (const line of lines) byInvoice.get(line.invoiceId)?.push(line);
  return byInvoice;
}

export const renderHandoff = (h: HandoffStatus) =>
  "attempts" in h
    ? {
        state: h.state,
        attempts: h.attempts,
        last_status: h.lastStatus,
        delivered_at: toIsoOrNull(h.deliveredAt),
        next_attempt_at: toIsoOrNull(h.nextAttemptAt),
      }
    : { state: h.state };

const tag = ["Agent line: orders and invoices"];

export const invoicesRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/invoices",
      tags: tag,
      summary: "List invoices and credit notes, newest first",
      ...scoped(...READ_SCOPES),
      request: { query: z.object({ ...pageQuery, ...filterQuery }) },
      responses: {
        200: { description: "A page of invoices", content: json(pageOf(InvoiceSchema, "InvoicePage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const db = dbOf(c);
      const rows = await db
        .select()
        .from(invoices)
        .where(and(...filterSql(q), afterCursor(q.cursor, invoices.createdAt, invoices.id, "desc")))
        .orderBy(desc(invoices.createdAt), desc(invoices.id))
        .limit(q.limit + 1);
      const lines = await linesOf(db, rows.slice(0, q.limit));
      return c.json(
        toPage(
          rows,
          q.limit,
          (r) => [r.createdAt, r.id],
          (r) => {
            const own = lines.get(r.id) ?? [];
            return renderInvoice(r, own, invoiceTotals(own));
          },
        ),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invoices/{invoiceId}",
      tags: tag,
      summary: "Get an invoice or credit note, with its hand-off to the billing service",
      ...scoped(...READ_SCOPES),
      request: { params: z.object({ invoiceId: idParam("invoiceId", "inv_A1") }) },
      responses: {
        200: { description: "The invoice", content: json(InvoiceSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { invoiceId } = c.req.valid("param");
      const detail = await invoiceDetail(dbOf(c), invoiceId);
      if (!detail) throw notFoundProblem(`Invoice ${invoiceId}`);
      const handoff = await handoffStatus(c.env, invoiceId, detail.invoice.sentAt !== null);
      return c.json(
        { ...renderInvoice(detail.invoice, detail.lines, detail.totals), handoff: renderHandoff(handoff) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/invoices.csv",
      tags: tag,
      summary: "Export invoices as CSV, one row per invoice with its totals (same filters as the list)",
      ...scoped(...READ_SCOPES),
      request: { query: z.object(filterQuery) },
      responses: {
        200: {
          description: "RFC 4180 CSV; *_minor columns in öre, total as a decimal",
          content: { "text/csv": { schema: z.string() } },
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const db = dbOf(c);
      let lines = new Map<string, InvoiceLineRow[]>();
      return csvResponse<InvoiceRow>({
        filename: "invoices.csv",
        header: [
          "id",
          "kind",
          "series",
          "number",
          "customer_id",
          "status",
          "ocr",
          "currency",
          "created_at",
          "sent_at",
          "due_at",
          "paid_at",
          "net_minor",
          "vat_minor",
          "total_minor",
          "total",
          "credits_invoice_id",
        ],
        async batch(last, size) {
          const rows = await db
            .select()
            .from(invoices)
            .where(
              and(
                ...filterSql(q),
                last
                  ? afterKey([last.createdAt, last.id], invoices.createdAt, invoices.id, "desc")
                  : undefined,
              ),
            )
            .orderBy(desc(invoices.createdAt), desc(invoices.id))
            .limit(size);
          lines = await linesOf(db, rows);
          return rows;
        },
        row(inv) {
          const r = renderInvoice(inv, lines.get(inv.id) ?? [], invoiceTotals(lines.get(inv.id) ?? []));
          return [
            r.id,
            r.kind,
            r.series,
            r.number,
            r.customer_id,
            r.status,
            r.ocr,
            r.currency,
            r.created_at,
            r.sent_at,
            r.due_at,
            r.paid_at,
            r.totals.net,
            r.totals.vat,
            r.totals.total,
            minorToDecimal(r.totals.total, r.currency),
            r.credits_invoice_id,
          ];
        },
      });
    },
  );
