/**
 * Changing invoices: a draft's lines (price, quantity, wording) and discount lines; sending (the
 * manual action that also hands the invoice to the billing service); booking a payment (which
 * unblocks the customer and raises their credit limit); a credit note for a mistake. A refusal
 * because of the invoice's state is a 409 saying what to do instead.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { notFoundProblem, ProblemError, problemResponses, validationProblem } from "../../../api/problem";
import { createdHeaders, idParam, jsonContent as json } from "../../../api/schemas";
import { creditInvoice } from "../invoicing/credit-note";
import { addInvoiceLine, editInvoiceLine } from "../invoicing/invoice-edit";
import { InvoiceActionError } from "../invoicing/invoice-errors";
import { invoiceDetail } from "../invoicing/invoice-store";
import { recordPayment } from "../invoicing/invoice-payment";
import { sendInvoice } from "../invoicing/invoice-send";
import { InvoiceSchema, renderInvoice } from "./invoice-render";
import { renderHandoff } from "./invoices";
import { actorOf } from "./register-ids";

const tag = ["Agent line: orders and invoices"];
const invoiceParam = z.object({ invoiceId: idParam("invoiceId", "inv_A1") });

const Quantity = z
  .int()
  .min(0)
  .max(1_000_000_000)
  .openapi({ description: "Thousandths of a unit: 2.5 minutes is 2500" });
const UnitPrice = z.int().min(-100_000_000).max(100_000_000).openapi({ description: "öre per unit, ex VAT" });
const VatRate = z.int().min(0).max(10_000).openapi({ description: "Basis points: 2500 = 25 %" });

const LinePatchBody = z
  .object({
    description: z.string().min(1).max(300).optional(),
    quantity_milli: Quantity.optional(),
    unit_price: UnitPrice.optional(),
    vat_rate_bp: VatRate.optional(),
  })
  .strict()
  .openapi("InvoiceLinePatch");

const NewLineBody = z
  .union([
    z
      .object({
        kind: z.literal("discount"),
        description: z.string().min(1).max(300).default("Discount"),
        amount: z
          .int()
          .min(1)
          .max(100_000_000)
          .openapi({ description: "öre off, ex VAT (a positive number)" }),
        vat_rate_bp: VatRate.default(2500),
      })
      .strict(),
    z
      .object({
        kind: z.literal("line").default("line"),
        description: z.string().min(1).max(300),
        quantity_milli: Quantity,
        unit_price: UnitPrice,
        vat_rate_bp: VatRate.default(2500),
      })
      .strict(),
  ])
  .openapi("InvoiceLineNew");

const PaymentBody = z
  .object({
    amount: z.int().min(0).openapi({ description: "öre paid, at least the invoice's total with VAT" }),
    reference: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .openapi({ description: "The bank's or provider's reference" }),
    paid_at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict()
  .openapi("InvoicePayment");

const CreditBody = z
  .object({ reason: z.string().min(1).max(500) })
  .strict()
  .openapi("CreditNoteRequest");

function refused(err: unknown): never {
  if (!(err instanceof InvoiceActionError)) throw err;
  if (err.refusal === "underpaid") throw validationProblem([{ field: "amount", message: err.message }]);
  throw new ProblemError(409, "Conflict", err.message);
}

async function shown(db: ReturnType<typeof dbOf>, id: string) {
  const detail = await invoiceDetail(db, id);
  if (!detail) throw notFoundProblem(`Invoice ${id}`);
  return renderInvoice(detail.invoice, detail.lines, detail.totals);
}

export const invoiceActionsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "patch",
      path: "/invoices/{invoiceId}/lines/{seq}",
      tags: tag,
      summary: "Change a line of a draft invoice (price, quantity, wording, VAT)",
      ...scoped("admin"),
      request: {
        params: invoiceParam.extend({
          seq: z.coerce
            .number()
            .int()
            .min(1)
            .openapi({ param: { name: "seq", in: "path" }, example: 1 }),
        }),
        body: {
          content: { ...json(LinePatchBody), "application/merge-patch+json": { schema: LinePatchBody } },
          required: true,
        },
      },
      responses: {
        200: { description: "The invoice as changed", content: json(InvoiceSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { invoiceId, seq } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = dbOf(c);
      const changed = await editInvoiceLine(
        db,
        invoiceId,
        seq,
        {
          description: body.description,
          quantityMilli: body.quantity_milli,
          unitPrice: body.unit_price,
          vatRateBp: body.vat_rate_bp,
        },
        Date.now(),
      ).catch(refused);
      if (!changed) throw notFoundProblem(`Line ${seq} of invoice ${invoiceId}`);
      return c.json(await shown(db, invoiceId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invoices/{invoiceId}/lines",
      tags: tag,
      summary: "Add a line or a discount line to a draft invoice",
      ...scoped("admin"),
      request: { params: invoiceParam, body: { content: json(NewLineBody), required: true } },
      responses: {
        200: { description: "The invoice with the new line", content: json(InvoiceSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { invoiceId } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = dbOf(c);
      const line =
        body.kind === "discount"
          ? {
              description: body.description,
              quantityMilli: 1000,
              unitPrice: -body.amount,
              vatRateBp: body.vat_rate_bp,
            }
          : {
              description: body.description,
              quantityMilli: body.quantity_milli,
              unitPrice: body.unit_price,
              vatRateBp: body.vat_rate_bp,
            };
      const seq = await addInvoiceLine(db, invoiceId, line, Date.now()).catch(refused);
      if (seq === null) throw notFoundProblem(`Invoice ${invoiceId}`);
      return c.json(await shown(db, invoiceId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invoices/{invoiceId}/send",
      tags: tag,
      summary:
        "Send an invoice: it becomes due, and is handed to the billing service (signed, retried until acknowledged)",
      description:
        "Sending a sent invoice again changes nothing and re-offers the same hand-off (never a second one).",
      ...scoped("admin"),
      request: { params: invoiceParam },
      responses: {
        200: { description: "The sent invoice and its hand-off", content: json(InvoiceSchema) },
        ...problemResponses(401, 403, 404, 409),
      },
    }),
    async (c) => {
      const { invoiceId } = c.req.valid("param");
      const sent = await sendInvoice(dbOf(c), c.env, invoiceId, Date.now()).catch(refused);
      if (!sent) throw notFoundProblem(`Invoice ${invoiceId}`);
      const { detail, handoff } = sent;
      return c.json(
        { ...renderInvoice(detail.invoice, detail.lines, detail.totals), handoff: renderHandoff(handoff) },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invoices/{invoiceId}/payments",
      tags: tag,
      summary:
        "Book a payment of a sent invoice: the customer is unblocked and their credit limit raised by the line's rule",
      description: "Booking the payment of a paid invoice again changes nothing (a retried request is safe).",
      ...scoped("admin"),
      request: { params: invoiceParam, body: { content: json(PaymentBody), required: true } },
      responses: {
        200: { description: "The paid invoice", content: json(InvoiceSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { invoiceId } = c.req.valid("param");
      const body = c.req.valid("json");
      const db = dbOf(c);
      const now = Date.now();
      const paid = await recordPayment(
        db,
        invoiceId,
        {
          amount: body.amount,
          reference: body.reference ?? null,
          paidAt: body.paid_at ? Date.parse(body.paid_at) : now,
          actor: actorOf(c.get("principal")),
        },
        now,
      ).catch(refused);
      if (!paid) throw notFoundProblem(`Invoice ${invoiceId}`);
      return c.json(await shown(db, invoiceId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/invoices/{invoiceId}/credit-note",
      tags: tag,
      summary:
        "Credit a sent or paid invoice in full (a credit note, next number in the series, handed to the billing service)",
      ...scoped("admin"),
      request: { params: invoiceParam, body: { content: json(CreditBody), required: true } },
      responses: {
        201: { description: "The credit note", headers: createdHeaders, content: json(InvoiceSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const { invoiceId } = c.req.valid("param");
      const { reason } = c.req.valid("json");
      const credited = await creditInvoice(
        dbOf(c),
        c.env,
        invoiceId,
        reason,
        actorOf(c.get("principal")),
        Date.now(),
      ).catch(refused);
      if (!credited) throw notFoundProblem(`Invoice ${invoiceId}`);
      const { detail, handoff } = credited;
      const location = new URL(`../${encodeURIComponent(detail.invoice.id)}`, c.req.url).pathname;
      return c.json(
        { ...renderInvoice(detail.invoice, detail.lines, detail.totals), handoff: renderHandoff(handoff) },
        201,
        { Location: location },
      );
    },
  );
