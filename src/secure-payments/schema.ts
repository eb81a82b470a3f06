/**
 * The secure-payments table (Turso): one row per payment request an agent made mid-call, written
 * once when the request ends (id = the transaction id, so a retried write changes nothing).
 * Amounts in integer minor units, times in epoch ms. Card data is brand and last 4 only.
 * drizzle-kit reads this file (drizzle.config.ts) for the migrations.
 */
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { FAILURE_REASONS, PAYMENT_STEPS, RECORD_STATUSES } from "./vocabulary";

export const securePayments = sqliteTable(
  "secure_payments",
  {
    /** The transaction id, `sp_<call session id>_<n>`. */
    id: text("id").primaryKey(),
    /** The call it was made on; the call's own row is written later, when the call settles. */
    callId: text("call_id").notNull(),
    lineId: text("line_id").notNull(),
    /** The line's product (demo, advice, agent_line). */
    product: text("product").notNull(),
    agentId: text("agent_id"),
    /** The agent's name when the record was written (what the CRM activity shows). */
    agentName: text("agent_name"),
    /** What the caller paid for, as the agent named it. */
    item: text("item").notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status", { enum: RECORD_STATUSES }).notNull(),
    reason: text("reason", { enum: FAILURE_REASONS }),
    declineCode: text("decline_code"),
    /** Stripe's PaymentIntent id, when one was created. */
    paymentId: text("payment_id"),
    cardBrand: text("card_brand"),
    cardLast4: text("card_last4"),
    /** Who left the call while the request ran. */
    leftBy: text("left_by", { enum: ["caller", "agent"] }),
    stoppedAt: text("stopped_at", { enum: PAYMENT_STEPS }),
    stepsCompleted: integer("steps_completed").notNull().default(0),
    requestedBy: text("requested_by", { enum: ["agent", "admin"] }).notNull(),
    requestedAt: integer("requested_at", { mode: "number" }).notNull(),
    finishedAt: integer("finished_at", { mode: "number" }).notNull(),
    createdAt: integer("created_at", { mode: "number" })
      .notNull()
      .default(sql`(cast(unixepoch('subsec') * 1000 as integer))`),
  },
  (t) => [
    index("secure_payments_finished_idx").on(t.finishedAt),
    index("secure_payments_agent_idx").on(t.agentId, t.finishedAt),
    index("secure_payments_line_idx").on(t.lineId, t.finishedAt),
    index("secure_payments_call_idx").on(t.callId),
  ],
);

export type SecurePaymentRow = typeof securePayments.$inferSelect;
