/**
 * The secure-payment API's request and response shapes (OpenAPI components): a payment request
 * as an agent makes it and follows it on a call, and the record each one leaves. One rendering
 * of a Turso row for the list, the detail and the CSV export.
 */
import { z } from "@hono/zod-openapi";
import { IsoTime, toIso } from "../../api/schemas";
import { ITEM_MAX_LENGTH } from "../request-rules";
import type { SecurePaymentRow } from "../schema";
import { FAILURE_REASONS, PAYMENT_STEPS } from "../vocabulary";
import { renderRecord } from "../request-json";
import { ASSISTED_STEPS } from "../assisted-fields";

export const PaymentRequestCreate = z
  .object({
    item: z
      .string()
      .trim()
      .min(1)
      .max(ITEM_MAX_LENGTH)
      .openapi({ description: "What the caller pays for (spoken to them)", example: "Annual plan" }),
    amount: z
      .int()
      .positive()
      .openapi({ description: "Minor units (cents, öre) in the line's currency", example: 1250 }),
    currency: z
      .string()
      .regex(/^[A-Za-z]{3}$/, "must be an ISO 4217 code like usd")
      .openapi({ description: "Must be the line's currency", example: "usd" }),
  })
  .strict()
  .openapi("PaymentRequestCreate");

export const PaymentStepCreate = z
  .object({
    step: z.enum(ASSISTED_STEPS).openapi({
      description: "A card field to ask the caller for (again), or charge once all four are complete",
      example: "number",
    }),
  })
  .strict()
  .openapi("PaymentStepCreate");

const StepStatus = z.enum(["waiting", "entering", "complete", "stopped", "failed"]).openapi({
  description: "failed: assisted mode only, a field the agent may ask for again",
});
const Reason = z.enum(FAILURE_REASONS).nullable().openapi({
  description:
    "Why no money was taken: amount_rejected, declined, too_many_tries, timed_out (60 s without a key), cancelled_by_caller (*), cancelled_by_agent, caller_hung_up, agent_hung_up, processor_unavailable, not_isolated",
});

export const PaymentRequestSchema = z
  .object({
    id: z.string().openapi({ description: "The transaction id", example: "sp_428c31b6-7af4_1" }),
    call_id: z.string(),
    item: z.string(),
    amount: z.number().int().openapi({ description: "Minor units", example: 1250 }),
    currency: z.string().openapi({ example: "usd" }),
    status: z.enum(["in_progress", "succeeded", "failed"]),
    stage: z.string().openapi({
      description: "isolating, amount, card, charging, releasing, announcing, rejoining, farewell; finished",
    }),
    steps: z.object(
      Object.fromEntries(PAYMENT_STEPS.map((s) => [s, StepStatus])) as Record<
        (typeof PAYMENT_STEPS)[number],
        typeof StepStatus
      >,
    ),
    reason: Reason,
    decline_code: z.string().nullable(),
    card_brand: z.string().nullable().openapi({ description: "Only for a payment that went through" }),
    card_last4: z.string().nullable(),
    left_by: z.enum(["caller", "agent"]).nullable().openapi({ description: "Who hung up during it" }),
    agent_id: z.string().nullable(),
    requested_by: z.enum(["agent", "admin"]),
    requested_at: IsoTime,
    finished_at: IsoTime.nullable(),
    recorded: z.boolean().openapi({ description: "The record is written (and on its way to the CRM)" }),
  })
  .openapi("PaymentRequest");

export const SecurePaymentSchema = PaymentRequestSchema.extend({
  line_id: z.string(),
  product: z.string().openapi({ description: "The line's product: demo, advice, agent_line" }),
  agent_name: z.string().nullable(),
  payment_id: z.string().nullable().openapi({ description: "Stripe's PaymentIntent id, when one was made" }),
}).openapi("SecurePayment");

export const renderRow = (row: SecurePaymentRow) => ({
  ...renderRecord(row),
  line_id: row.lineId,
  product: row.product,
  agent_name: row.agentName,
  payment_id: row.paymentId,
  finished_at: toIso(row.finishedAt),
});
