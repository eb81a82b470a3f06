/**
 * /v1/payments: money movements at the payment provider (authorisations, captures, charges,
 * cancellations, refunds), newest first. Read-only: payments are written when a call settles.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { fenceOf, paymentsOfMerchant } from "../../api/merchant-scope";
import { createApiRouter, dbOf } from "../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { problemResponses } from "../../api/problem";
import { IsoTime, toIso } from "../../api/schemas";
import { payments } from "../../db/schema";

export const PaymentSchema = z
  .object({
    id: z.string(),
    call_id: z.string().nullable(),
    provider_payment_id: z.string().openapi({ example: "pi_3Q0abc" }),
    kind: z
      .enum(["attempt", "authorization", "capture", "charge", "cancel", "refund", "release"])
      .openapi({ description: "attempt: an authorisation the card's issuer or Stripe refused" }),
    amount: z.number().int().openapi({ description: "Minor units (öre, cents)", example: 4900 }),
    currency: z.string().openapi({ example: "sek" }),
    status: z
      .string()
      .openapi({ description: "succeeded, canceled, refunded, released, failed (declined) or refused" }),
    code: z.string().nullable().openapi({ description: "Decline or refusal code, e.g. generic_decline" }),
    stripe_status: z
      .string()
      .nullable()
      .openapi({ description: "The intent's status as Stripe's webhooks last reported it" }),
    amount_refunded: z.number().int().nullable(),
    at: IsoTime,
  })
  .openapi("Payment");

export type PaymentRow = typeof payments.$inferSelect;
export const renderPayment = (row: PaymentRow) => ({
  id: row.id,
  call_id: row.callId,
  provider_payment_id: row.providerPaymentId,
  kind: row.kind,
  amount: row.amount,
  currency: row.currency,
  status: row.status,
  code: row.code,
  stripe_status: row.stripeStatus,
  amount_refunded: row.amountRefunded,
  at: toIso(row.at),
});

export const paymentsRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/payments",
    tags: ["Payments"],
    summary: "List payments, newest first",
    ...scoped(...MERCHANT_READ_SCOPES),
    request: { query: z.object({ ...pageQuery, call_id: z.string().max(200).optional() }) },
    responses: {
      200: {
        description: "A page of payments",
        content: { "application/json": { schema: pageOf(PaymentSchema, "PaymentPage") } },
      },
      ...problemResponses(401, 403, 422),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const filters: (SQL | undefined)[] = [
      q.call_id === undefined ? undefined : eq(payments.callId, q.call_id),
      fenceOf(c.get("principal"), paymentsOfMerchant),
      afterCursor(q.cursor, payments.at, payments.id, "desc"),
    ];
    const rows = await dbOf(c)
      .select()
      .from(payments)
      .where(and(...filters))
      .orderBy(desc(payments.at), desc(payments.id))
      .limit(q.limit + 1);
    return c.json(
      toPage(rows, q.limit, (r) => [r.at, r.id], renderPayment),
      200,
    );
  },
);
