/**
 * The invoiced agent line's tables (Turso): customers with several numbers, notes and a change
 * history; the address directory; the blacklist; customer-code failures (lockouts); price lists
 * and articles; credit reservations; orders; invoices with their lines. Money in öre (integer minor units), times in epoch ms. drizzle-kit reads this file too.
 */
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt } from "../../db/columns";

export const priceLists = sqliteTable("price_lists", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  currency: text("currency").notNull().default("sek"),
  /** The list every new customer is linked to. */
  isBasic: integer("is_basic", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
});

export const articles = sqliteTable(
  "articles",
  {
    id: text("id").primaryKey(),
    priceListId: text("price_list_id")
      .notNull()
      .references(() => priceLists.id),
    artNr: text("art_nr").notNull(),
    description: text("description").notNull(),
    /** öre per unit, before VAT. */
    unitPrice: integer("unit_price").notNull(),
    unit: text("unit", { enum: ["minute", "call", "fixed"] }).notNull(),
    /** VAT in basis points (2500 = 25 %). */
    vatRateBp: integer("vat_rate_bp").notNull().default(2500),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("articles_list_artnr").on(t.priceListId, t.artNr)],
);

export const customers = sqliteTable(
  "customers",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    street: text("street"),
    postalCode: text("postal_code"),
    city: text("city"),
    country: text("country").notNull().default("SE"),
    email: text("email"),
    /** blocked: an unpaid invoice (lifted on payment); closed: no longer served. */
    status: text("status", { enum: ["active", "blocked", "closed"] })
      .notNull()
      .default("active"),
    creditLimit: integer("credit_limit").notNull(),
    /** Orders not yet invoiced, öre ex VAT. */
    openBalance: integer("open_balance").notNull().default(0),
    priceListId: text("price_list_id").references(() => priceLists.id),
    /** A percentage off the price list, in basis points (1000 = 10 %). */
    discountBp: integer("discount_bp").notNull().default(0),
    /** A price per minute (öre) that replaces the list's, when set. */
    pricePerMinute: integer("price_per_minute"),
    /** HMAC-SHA256 (CUSTOMER_CODE_KEY) of the customer code an unlisted/secret number enters, never the code. */
    codeHash: text("code_hash"),
    /** The line the customer came in on: its credit rules apply to them. */
    lineId: text("line_id"),
    /** Paid invoices so far: the credit-limit rule raises the limit per paid invoice. */
    paidInvoices: integer("paid_invoices").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [index("customers_name").on(t.name), uniqueIndex("customers_code").on(t.codeHash)],
);

export const customerNumbers = sqliteTable(
  "customer_numbers",
  {
    number: text("number").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    createdAt: createdAt(),
  },
  (t) => [index("customer_numbers_customer").on(t.customerId)],
);

export const customerNotes = sqliteTable(
  "customer_notes",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id")
      .notNull()
      .references(() => customers.id),
    text: text("text").notNull(),
    author: text("author").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
  },
  (t) => [index("customer_notes_customer").on(t.customerId, t.at)],
);

/** Who changed what, when: one row per changed field. */
export const customerChanges = sqliteTable(
  "customer_changes",
  {
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    field: text("field").notNull(),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    actor: text("actor").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
  },
  (t) => [index("customer_changes_customer").on(t.customerId, t.at)],
);

/** The number-to-address directory the embedded default imports by CSV. */
export const addressDirectory = sqliteTable("address_directory", {
  number: text("number").primaryKey(),
  name: text("name").notNull(),
  street: text("street"),
  postalCode: text("postal_code"),
  city: text("city"),
  secret: integer("secret", { mode: "boolean" }).notNull().default(false),
  importedAt: integer("imported_at", { mode: "number" }).notNull(),
});

export const blacklist = sqliteTable(
  "blacklist",
  {
    id: text("id").primaryKey(),
    number: text("number"),
    customerId: text("customer_id"),
    category: text("category", { enum: ["financial", "behaviour", "other"] }).notNull(),
    /** What the caller hears: "…you can't use this service because <prompt>". */
    prompt: text("prompt").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    liftedBy: text("lifted_by"),
    liftedAt: integer("lifted_at", { mode: "number" }),
  },
  (t) => [index("blacklist_number").on(t.number), index("blacklist_customer").on(t.customerId)],
);

/** Wrong customer codes per calling number: 5 in 24 h lock the number out for 24 h. */
export const codeFailures = sqliteTable(
  "code_failures",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    at: integer("at", { mode: "number" }).notNull(),
  },
  (t) => [index("code_failures_number").on(t.number, t.at)],
);

/** Credit held for a call while it lasts: the sum of a customer's active ones is spoken for. */
export const creditReservations = sqliteTable(
  "credit_reservations",
  {
    /** `<call session id>:<n>`: each extension is its own row, reserved once. */
    id: text("id").primaryKey(),
    callId: text("call_id").notNull(),
    customerId: text("customer_id").notNull(),
    amount: integer("amount").notNull(),
    status: text("status", { enum: ["active", "settled"] })
      .notNull()
      .default("active"),
    createdAt: createdAt(),
  },
  (t) => [
    index("credit_reservations_customer").on(t.customerId, t.status),
    index("credit_reservations_call").on(t.callId),
  ],
);

export const orders = sqliteTable(
  "orders",
  {
    /** The call's session id: one order per call, whatever is retried. */
    id: text("id").primaryKey(),
    customerId: text("customer_id").notNull(),
    lineId: text("line_id").notNull(),
    talkSeconds: integer("talk_seconds").notNull(),
    billableSeconds: integer("billable_seconds").notNull(),
    /** The minute article and its price after discount (öre per minute). */
    articleNr: text("article_nr").notNull(),
    pricePerMinute: integer("price_per_minute").notNull(),
    /** Per-call articles (unit "call") added to this order, öre. */
    extras: integer("extras").notNull().default(0),
    /** öre ex VAT. */
    amount: integer("amount").notNull(),
    currency: text("currency").notNull().default("sek"),
    vatRateBp: integer("vat_rate_bp").notNull(),
    invoiceId: text("invoice_id"),
    at: integer("at", { mode: "number" }).notNull(),
  },
  (t) => [index("orders_customer").on(t.customerId, t.invoiceId), index("orders_at").on(t.at)],
);

export const invoices = sqliteTable(
  "invoices",
  {
    id: text("id").primaryKey(),
    series: text("series").notNull(),
    /** Gapless within its series: taken as max+1 in the statement that creates the invoice. */
    number: integer("number").notNull(),
    kind: text("kind", { enum: ["invoice", "credit_note"] })
      .notNull()
      .default("invoice"),
    /** For a credit note: the invoice it corrects. */
    creditsInvoiceId: text("credits_invoice_id"),
    customerId: text("customer_id").notNull(),
    status: text("status", { enum: ["draft", "sent", "paid", "credited"] })
      .notNull()
      .default("draft"),
    /** The bank giro payment reference (OCR, Luhn-checked). */
    ocr: text("ocr").notNull(),
    currency: text("currency").notNull().default("sek"),
    createdAt: integer("created_at", { mode: "number" }).notNull(),
    sentAt: integer("sent_at", { mode: "number" }),
    dueAt: integer("due_at", { mode: "number" }),
    paidAt: integer("paid_at", { mode: "number" }),
    /** What the payment said it paid (öre) and its reference (a bank giro OCR, a transaction id). */
    paidAmount: integer("paid_amount"),
    paymentReference: text("payment_reference"),
    /** Why a credit note was issued, or an admin's remark on the invoice. */
    note: text("note"),
    updatedAt: integer("updated_at", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("invoices_series_number").on(t.series, t.number),
    uniqueIndex("invoices_ocr").on(t.ocr),
    index("invoices_customer").on(t.customerId, t.status),
  ],
);

export const invoiceLines = sqliteTable(
  "invoice_lines",
  {
    id: text("id").primaryKey(),
    invoiceId: text("invoice_id").notNull(),
    seq: integer("seq").notNull(),
    description: text("description").notNull(),
    /** Thousandths of a unit (minutes, calls), so 2.5 minutes is 2500. */
    quantityMilli: integer("quantity_milli").notNull(),
    /** öre per unit, ex VAT. */
    unitPrice: integer("unit_price").notNull(),
    /** öre ex VAT (negative for a discount or credit line). */
    amount: integer("amount").notNull(),
    vatRateBp: integer("vat_rate_bp").notNull(),
    orderId: text("order_id"),
  },
  (t) => [uniqueIndex("invoice_lines_seq").on(t.invoiceId, t.seq)],
);
