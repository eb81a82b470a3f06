/**
 * POST /webhooks/billing: the billing service tells us an invoice was paid. Signed like our
 * hand-offs (Meterline-Signature over the raw body with BILLING_SERVICE_SECRET); a bad or missing
 * signature is refused with 401 and changes nothing. The invoice is found by id or by its OCR
 * reference; the payment is booked once (a redelivery answers 200 and changes nothing). 5xx only
 * when it could not be booked, so that the service sends it again.
 *
 * Body: {"id": "evt_…", "type": "invoice.paid", "data": {"invoice_id"?: "inv_A1", "ocr"?: "…",
 * "amount": 12500, "currency": "sek", "paid_at": "2026-12-01T10:00:00Z", "reference"?: "…"}}
 */
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { fieldErrorsOf } from "../../../api/field-messages";
import { ProblemError, validationProblem } from "../../../api/problem";
import { loadConfig } from "../../../config";
import { createDb } from "../../../db/client";
import { readBodyUpTo, WEBHOOK_BODY_LIMIT } from "../../../routes/webhook-body";
import { SIGNATURE_HEADER, verifySignatureHeader } from "../../../webhooks/signature";
import { agentLineEnv } from "../agent-line-env";
import { invoices } from "../schema";
import { InvoiceActionError } from "./invoice-errors";
import { recordPayment } from "./invoice-payment";

const paidEvent = z.object({
  id: z.string().min(1).max(200),
  type: z.literal("invoice.paid"),
  data: z
    .object({
      invoice_id: z.string().min(1).max(64).optional(),
      ocr: z
        .string()
        .regex(/^\d{2,25}$/)
        .optional(),
      amount: z.int().min(0),
      currency: z.string().regex(/^[a-z]{3}$/),
      paid_at: z.iso.datetime({ offset: true }),
      reference: z.string().max(200).optional(),
    })
    .refine((d) => d.invoice_id !== undefined || d.ocr !== undefined, {
      message: "give invoice_id or ocr",
      path: ["invoice_id"],
    }),
});

const problem = (status: 401 | 413 | 422 | 503, title: string, detail: string) =>
  new ProblemError(status, title, detail).toResponse();

export const billingCallback = new Hono<{ Bindings: Env }>();

billingCallback.post("/", async (c) => {
  const secret = agentLineEnv(c.env).BILLING_SERVICE_SECRET;
  const header = c.req.header(SIGNATURE_HEADER);
  if (!secret || !header) return problem(401, "Unauthorized", `Send the ${SIGNATURE_HEADER} header.`);
  const raw = await readBodyUpTo(c.req.raw);
  if (raw === null)
    return problem(413, "Content Too Large", `Callback bodies are at most ${WEBHOOK_BODY_LIMIT} bytes.`);
  const verdict = await verifySignatureHeader(secret, header, raw);
  if (verdict !== "ok") {
    console.warn(JSON.stringify({ msg: "billing.callback_rejected", reason: verdict }));
    return problem(401, "Unauthorized", "The signature could not be verified.");
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return problem(422, "Unprocessable Content", "The body is not JSON.");
  }
  const type = (body as { type?: unknown } | null)?.type;
  // Other event types are the service's business: acknowledged, not acted on.
  if (type !== "invoice.paid") return c.json({ received: true, handled: false }, 200);
  const parsed = paidEvent.safeParse(body);
  if (!parsed.success) return validationProblem(fieldErrorsOf(parsed.error, body)).toResponse();
  const { data } = parsed.data;

  const cfg = loadConfig(c.env);
  const db = createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN);
  try {
    const [invoice] = await db
      .select({ id: invoices.id, currency: invoices.currency })
      .from(invoices)
      .where(data.invoice_id ? eq(invoices.id, data.invoice_id) : eq(invoices.ocr, data.ocr ?? ""))
      .limit(1);
    if (!invoice) return problem(422, "Unprocessable Content", "No invoice has that id or OCR reference.");
    if (invoice.currency !== data.currency)
      return problem(
        422,
        "Unprocessable Content",
        `The invoice is in ${invoice.currency}, the payment in ${data.currency}.`,
      );
    const paid = await recordPayment(
      db,
      invoice.id,
      {
        amount: data.amount,
        reference: data.reference ?? parsed.data.id,
        paidAt: Date.parse(data.paid_at),
        actor: "billing-service",
      },
      Date.now(),
    );
    console.log(
      JSON.stringify({
        msg: "billing.invoice_paid",
        invoice: invoice.id,
        event: parsed.data.id,
        repeat: paid?.alreadyPaid ?? false,
      }),
    );
    return c.json(
      { received: true, handled: true, invoice_id: invoice.id, already_paid: paid?.alreadyPaid ?? false },
      200,
    );
  } catch (err) {
    if (err instanceof InvoiceActionError) return problem(422, "Unprocessable Content", err.message);
    console.error(
      JSON.stringify({
        msg: "billing.callback_not_booked",
        error: err instanceof Error ? err.message : String(err),
      }),
    );
    return problem(503, "Service Unavailable", "The payment could not be booked now; send it again.");
  }
});
