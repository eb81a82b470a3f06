/**
 * Turso (libSQL) schema, the one source for drizzle-kit's migrations in migrations/.
 * Money is integer minor units; times are UTC epoch milliseconds (API renders ISO-8601).
 * Live call state is not here: it lives in the CallSession Durable Object until the call settles.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "./columns";

/** A phone number we answer: E.164 number → product and its config (JSON, validated per product). */
export const lines = sqliteTable(
  "lines",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    name: text("name").notNull(),
    /** A registered product's name (src/products/registry.ts); the API accepts only those. */
    product: text("product").notNull(),
    voice: text("voice").notNull().default("female"),
    config: text("config", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    /** The merchant paid for this line's calls; null = charged on the platform's own account. */
    merchantId: text("merchant_id").references(() => merchants.id),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("lines_number_unique").on(t.number),
    index("lines_product_idx").on(t.product),
    index("lines_merchant_idx").on(t.merchantId),
  ],
);

/**
 * An adviser paid directly: a Stripe Connect (Express) account that receives the charges of its
 * lines. The three flags mirror Stripe's account as last reported by `account.updated`;
 * `stripeUpdatedAt` is that event's time, so an older event never rolls a flag back.
 */
export const merchants = sqliteTable(
  "merchants",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    email: text("email"),
    country: text("country").notNull(),
    stripeAccountId: text("stripe_account_id").notNull(),
    detailsSubmitted: integer("details_submitted", { mode: "boolean" }).notNull().default(false),
    chargesEnabled: integer("charges_enabled", { mode: "boolean" }).notNull().default(false),
    payoutsEnabled: integer("payouts_enabled", { mode: "boolean" }).notNull().default(false),
    /** Stripe's time (epoch ms) of the account state the flags show. */
    stripeUpdatedAt: integer("stripe_updated_at", { mode: "number" }),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("merchants_stripe_account_unique").on(t.stripeAccountId)],
);

/** Reps who take a line's calls. Live busy/free state is the LineSession DO's; this is the roster. */
export const agents = sqliteTable(
  "agents",
  {
    id: text("id").primaryKey(),
    lineId: text("line_id")
      .notNull()
      .references(() => lines.id),
    name: text("name").notNull(),
    /** E.164 number or sip: URI that Telnyx dials. */
    destination: text("destination").notNull(),
    priority: integer("priority").notNull().default(100),
    /** What the admin set: offline agents are never offered calls. */
    status: text("status", { enum: ["available", "offline"] })
      .notNull()
      .default("available"),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("agents_line_idx").on(t.lineId)],
);

/** One row per finished call, written once by the CallSession when it settles (id = call_session_id). */
export const calls = sqliteTable(
  "calls",
  {
    id: text("id").primaryKey(),
    lineId: text("line_id")
      .notNull()
      .references(() => lines.id),
    product: text("product").notNull(),
    callerNumber: text("caller_number").notNull(),
    calledNumber: text("called_number").notNull(),
    startedAt: integer("started_at", { mode: "number" }).notNull(),
    answeredAt: integer("answered_at", { mode: "number" }),
    talkStartedAt: integer("talk_started_at", { mode: "number" }),
    endedAt: integer("ended_at", { mode: "number" }).notNull(),
    billableSeconds: integer("billable_seconds").notNull().default(0),
    amount: integer("amount").notNull().default(0),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    hangupCause: text("hangup_cause"),
    /** Who ended the call: caller, agent or system (our limit, goodbye, guard). */
    endedBy: text("ended_by", { enum: ["caller", "agent", "system"] }),
    agentId: text("agent_id"),
    cardBrand: text("card_brand"),
    cardLast4: text("card_last4"),
    paymentId: text("payment_id"),
    /** Answers to the line's voice questions, by field (scrubbed of card-like digits). */
    answers: text("answers", { mode: "json" }).$type<Record<string, string | null>>(),
    /** The merchant the call's money went to (the line's at call time); null = the platform. */
    merchantId: text("merchant_id"),
    /** The platform's fee on what the call kept (Stripe's application fee), minor units. */
    applicationFee: integer("application_fee").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [
    index("calls_line_started_idx").on(t.lineId, t.startedAt),
    index("calls_status_idx").on(t.status),
    index("calls_merchant_ended_idx").on(t.merchantId, t.endedAt),
  ],
);

/** The call's timeline: one row per state transition, for the call detail view. */
export const callEvents = sqliteTable(
  "call_events",
  {
    callId: text("call_id")
      .notNull()
      .references(() => calls.id),
    seq: integer("seq").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
    event: text("event").notNull(),
    fromState: text("from_state").notNull(),
    toState: text("to_state").notNull(),
  },
  (t) => [uniqueIndex("call_events_call_seq").on(t.callId, t.seq)],
);

/** Money movements at the payment provider (ids are Stripe's). */
export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    callId: text("call_id").references(() => calls.id),
    providerPaymentId: text("provider_payment_id").notNull(),
    kind: text("kind", {
      enum: ["attempt", "authorization", "capture", "charge", "cancel", "refund", "release"],
    }).notNull(),
    amount: integer("amount").notNull(),
    currency: text("currency").notNull(),
    status: text("status").notNull(),
    /** Decline or refusal code (generic_decline, balance_insufficient…). */
    code: text("code"),
    at: integer("at", { mode: "number" }).notNull(),
    /** Stripe's truth, kept current from its webhooks: the intent's status and what was refunded. */
    stripeStatus: text("stripe_status"),
    amountRefunded: integer("amount_refunded"),
    stripeUpdatedAt: integer("stripe_updated_at", { mode: "number" }),
    createdAt: createdAt(),
  },
  (t) => [index("payments_call_idx").on(t.callId), index("payments_provider_idx").on(t.providerPaymentId)],
);

/** Stripe webhook events, recorded once each (id = Stripe's event id). */
export const paymentEvents = sqliteTable("payment_events", {
  id: text("id").primaryKey(),
  type: text("type").notNull(),
  providerPaymentId: text("provider_payment_id"),
  amount: integer("amount"),
  status: text("status"),
  receivedAt: integer("received_at", { mode: "number" }).notNull(),
});

export const voicemails = sqliteTable(
  "voicemails",
  {
    id: text("id").primaryKey(),
    callId: text("call_id").notNull(),
    lineId: text("line_id")
      .notNull()
      .references(() => lines.id),
    callerNumber: text("caller_number").notNull(),
    recordingUrl: text("recording_url").notNull(),
    durationSec: integer("duration_sec").notNull(),
    recordedAt: integer("recorded_at", { mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("voicemails_line_idx").on(t.lineId, t.recordedAt)],
);

/** Admin API tokens: only a SHA-256 of the secret is kept; the secret is shown once at creation. */
export const apiTokens = sqliteTable(
  "api_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    /** First characters of the secret, so an admin can tell tokens apart. */
    prefix: text("prefix").notNull(),
    scopes: text("scopes", { mode: "json" })
      .notNull()
      .$type<("admin" | "agent" | "readonly" | "merchant")[]>(),
    /** The agent an agent-scoped token belongs to: it may see and act on that agent's call only. */
    agentId: text("agent_id"),
    /** The merchant a merchant-scoped token belongs to: it sees and changes that merchant's business only. */
    merchantId: text("merchant_id").references(() => merchants.id),
    createdAt: createdAt(),
    revokedAt: integer("revoked_at", { mode: "number" }),
    lastUsedAt: integer("last_used_at", { mode: "number" }),
  },
  (t) => [uniqueIndex("api_tokens_hash_unique").on(t.tokenHash)],
);

/**
 * Telnyx's own cost of each leg (call.cost webhooks, with call_cost_in_webhooks on), in micro-units
 * of its currency, kept beside our rating for margin reports. Keyed by leg: a redelivery is a no-op.
 */
export const callCosts = sqliteTable(
  "call_costs",
  {
    callId: text("call_id").notNull(),
    legId: text("leg_id").notNull(),
    totalMicros: integer("total_micros").notNull(),
    currency: text("currency").notNull(),
    billedSec: integer("billed_sec"),
    at: integer("at", { mode: "number" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("call_costs_leg").on(t.callId, t.legId)],
);
