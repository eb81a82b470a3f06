/**
 * The prepaid calling cards' tables (Turso). drizzle-kit reads this file too.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "../../db/columns";

// PIN batches, the PINs (a keyed hash for lookup, AES-GCM ciphertext for export: never the PIN in
// clear), the account a PIN opens on first use, its ledger and reservations, plans with packages
// and charges, rate decks. Amounts are integer minor units; rates and connect fees are integer
// micro-units of the currency's major unit (1 USD = 1 000 000), per minute for rates.

/** A subscription plan for cards: a long billing period, a rate deck, packages and charges. */
export const cardPlans = sqliteTable("cc_plans", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  currency: text("currency").notNull(),
  periodUnit: text("period_unit", { enum: ["day", "week", "month", "year"] }).notNull(),
  periodCount: integer("period_count").notNull(),
  /** The deck (by name) whose current version rates the plan's cards. */
  rateDeck: text("rate_deck").notNull(),
  createdAt: createdAt(),
});

/** Free seconds per billing period to a destination group (prefixes), used before the balance. */
export const cardPackages = sqliteTable("cc_packages", {
  id: text("id").primaryKey(),
  planId: text("plan_id")
    .notNull()
    .references(() => cardPlans.id),
  name: text("name").notNull(),
  prefixes: text("prefixes", { mode: "json" }).notNull().$type<string[]>(),
  freeSeconds: integer("free_seconds").notNull(),
});

/** A plan's fees: every period (maintenance), once at activation, or per connected call. */
export const cardCharges = sqliteTable("cc_charges", {
  id: text("id").primaryKey(),
  planId: text("plan_id")
    .notNull()
    .references(() => cardPlans.id),
  kind: text("kind", { enum: ["recurring", "one_time", "connection"] }).notNull(),
  name: text("name").notNull(),
  amount: integer("amount").notNull(),
});

export const pinBatches = sqliteTable("cc_batches", {
  id: text("id").primaryKey(),
  name: text("name").notNull().unique(),
  currency: text("currency").notNull(),
  faceValue: integer("face_value").notNull(),
  pinCount: integer("pin_count").notNull(),
  effectiveAt: integer("effective_at", { mode: "number" }).notNull(),
  expiresAt: integer("expires_at", { mode: "number" }).notNull(),
  expiryDays: integer("expiry_days").notNull(),
  taxable: integer("taxable", { mode: "boolean" }).notNull().default(false),
  taxName: text("tax_name"),
  /** Parts per million: 8.875 % is 88 750. */
  taxRatePpm: integer("tax_rate_ppm").notNull().default(0),
  planId: text("plan_id").references(() => cardPlans.id),
  blocked: integer("blocked", { mode: "boolean" }).notNull().default(false),
  /** empty: no PINs yet; generating: a background job runs; ready: cards can be used. */
  status: text("status", { enum: ["empty", "generating", "ready", "failed"] })
    .notNull()
    .default("empty"),
  source: text("source", { enum: ["generated", "uploaded"] }),
  createdAt: createdAt(),
  updatedAt: integer("updated_at", { mode: "number" }).notNull(),
});

export const pins = sqliteTable(
  "cc_pins",
  {
    id: integer("id").primaryKey({ autoIncrement: false }),
    batchId: text("batch_id")
      .notNull()
      .references(() => pinBatches.id),
    /** 1..pin_count within the batch: the background job's resumable position. */
    seq: integer("seq").notNull(),
    /** HMAC-SHA256 of the PIN under PIN_HMAC_KEY (hex, 128 bits): lookup and global uniqueness. */
    pinHash: text("pin_hash").notNull(),
    /** base64(iv ‖ AES-256-GCM(PIN)) under PIN_ENCRYPTION_KEY: only the export decrypts it. */
    pinEnc: text("pin_enc").notNull(),
    blocked: integer("blocked", { mode: "boolean" }).notNull().default(false),
    activatedAt: integer("activated_at", { mode: "number" }),
    accountId: text("account_id"),
  },
  (t) => [uniqueIndex("cc_pins_hash").on(t.pinHash), uniqueIndex("cc_pins_batch_seq").on(t.batchId, t.seq)],
);

/** Opened on a PIN's first use. balance − reserved is what a new call may reserve. */
export const cardAccounts = sqliteTable(
  "cc_accounts",
  {
    id: text("id").primaryKey(),
    pinId: integer("pin_id").notNull(),
    batchId: text("batch_id").notNull(),
    currency: text("currency").notNull(),
    balance: integer("balance").notNull(),
    reserved: integer("reserved").notNull().default(0),
    /** Reservations held now: the simultaneous calls on this card. */
    holds: integer("holds").notNull().default(0),
    activatedAt: integer("activated_at", { mode: "number" }).notNull(),
    expiresAt: integer("expires_at", { mode: "number" }).notNull(),
    /** When the cron next owes this account a plan charge (null: nothing recurring). */
    nextChargeAt: integer("next_charge_at", { mode: "number" }),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [uniqueIndex("cc_accounts_pin").on(t.pinId), index("cc_accounts_next_charge").on(t.nextChargeAt)],
);

/** Every credit (+) and debit (−) of an account, keyed so a repeated operation writes it once. */
export const cardLedger = sqliteTable(
  "cc_ledger",
  {
    id: text("id").primaryKey(),
    accountId: text("account_id").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
    amount: integer("amount").notNull(),
    /** The tax included in amount (same sign). */
    taxAmount: integer("tax_amount").notNull().default(0),
    reason: text("reason", {
      enum: [
        "activation",
        "call",
        "connection_fee",
        "recurring_fee",
        "one_time_fee",
        "manual_credit",
        "manual_debit",
      ],
    }).notNull(),
    note: text("note"),
    callId: text("call_id"),
    balanceAfter: integer("balance_after").notNull(),
  },
  (t) => [index("cc_ledger_account").on(t.accountId, t.at)],
);

/**
 * One dialled call on a card: its reservation (held → settled) and, once settled, how it was rated.
 * id = `<call_session_id>:<n>` (n-th call of the session), so a retried reserve or settle is a no-op.
 */
export const cardCalls = sqliteTable(
  "cc_card_calls",
  {
    id: text("id").primaryKey(),
    sessionId: text("session_id").notNull(),
    accountId: text("account_id").notNull(),
    batchId: text("batch_id").notNull(),
    currency: text("currency").notNull(),
    destination: text("destination").notNull(),
    prefix: text("prefix").notNull(),
    destinationName: text("destination_name").notNull(),
    sellRate: integer("sell_rate").notNull(),
    buyRate: integer("buy_rate").notNull(),
    firstBlockSec: integer("first_block_sec").notNull(),
    stepSec: integer("step_sec").notNull(),
    connectFee: integer("connect_fee").notNull(),
    reservedAmount: integer("reserved_amount").notNull(),
    status: text("status", { enum: ["reserving", "held", "refused", "settled"] }).notNull(),
    /** completed, busy, no_answer, unreachable, rejected, cancelled… */
    outcome: text("outcome"),
    destLegId: text("dest_leg_id"),
    talkStartedAt: integer("talk_started_at", { mode: "number" }),
    endedAt: integer("ended_at", { mode: "number" }),
    billableSeconds: integer("billable_seconds").notNull().default(0),
    packageSeconds: integer("package_seconds").notNull().default(0),
    /** What the card paid (minor units), fees included. */
    amount: integer("amount").notNull().default(0),
    /** What the call cost us at the deck's buy rate (micro-units). */
    costMicros: integer("cost_micros").notNull().default(0),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    settledAt: integer("settled_at", { mode: "number" }),
  },
  (t) => [index("cc_card_calls_account").on(t.accountId), index("cc_card_calls_ended").on(t.endedAt)],
);

/** Free seconds used per account, package and billing period. */
export const cardPackageUsage = sqliteTable(
  "cc_package_usage",
  {
    accountId: text("account_id").notNull(),
    packageId: text("package_id").notNull(),
    period: integer("period").notNull(),
    usedSeconds: integer("used_seconds").notNull().default(0),
  },
  (t) => [uniqueIndex("cc_package_usage_key").on(t.accountId, t.packageId, t.period)],
);

/** A wrong PIN, counted per key (`caller:<number>` or `pin:<hash>`) for the 24-hour lockout. */
export const pinFailures = sqliteTable(
  "cc_pin_failures",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    key: text("key").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
  },
  (t) => [index("cc_pin_failures_key").on(t.key, t.at)],
);

export const pinLockouts = sqliteTable("cc_pin_lockouts", {
  key: text("key").primaryKey(),
  lockedUntil: integer("locked_until", { mode: "number" }).notNull(),
});

/** Numbers registered to a card for pinless (one-stage) calls. */
export const cardCallerIds = sqliteTable("cc_caller_ids", {
  number: text("number").primaryKey(),
  pinId: integer("pin_id").notNull(),
  createdAt: createdAt(),
});

/** A rate deck version: the ready version with the latest valid_from ≤ now rates calls. */
export const rateDeckVersions = sqliteTable(
  "cc_deck_versions",
  {
    id: text("id").primaryKey(),
    deck: text("deck").notNull(),
    currency: text("currency").notNull(),
    validFrom: integer("valid_from", { mode: "number" }).notNull(),
    status: text("status", { enum: ["importing", "ready"] }).notNull(),
    rowCount: integer("row_count").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [index("cc_deck_versions_deck").on(t.deck, t.validFrom)],
);

export const rates = sqliteTable(
  "cc_rates",
  {
    versionId: text("version_id").notNull(),
    /** CSV line, so an import's rows read back in file order. */
    line: integer("line").notNull(),
    prefix: text("prefix").notNull(),
    destination: text("destination").notNull(),
    sellRate: integer("sell_rate").notNull(),
    buyRate: integer("buy_rate").notNull(),
    firstBlockSec: integer("first_block_sec").notNull(),
    stepSec: integer("step_sec").notNull(),
    connectFee: integer("connect_fee").notNull(),
    validFrom: integer("valid_from", { mode: "number" }),
    validTo: integer("valid_to", { mode: "number" }),
  },
  (t) => [uniqueIndex("cc_rates_version_line").on(t.versionId, t.line)],
);
