/**
 * The agent line's reads and writes in Turso for a call: who a number or a code belongs to (with
 * price and credit), the blacklist, code lockouts, and creating a customer from the directory.
 * Credit reservations and orders are in credit-store.ts. Numbers are E.164 here.
 */
import { and, asc, eq, gte, inArray, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { AgentLineConfig } from "./config";
import { effectivePricePerMinute } from "./pricing";
import {
  articles,
  blacklist,
  codeFailures,
  customerChanges,
  creditReservations,
  customerNumbers,
  customers,
  invoiceLines,
  invoices,
  priceLists,
} from "./schema";
import type { CustomerView } from "./vocabulary";
import type { DirectoryEntry } from "./directory";
import { invoiceTotals } from "./invoicing/invoice-math";

type CustomerRow = typeof customers.$inferSelect;

export async function blacklistPromptFor(
  db: Db,
  where: { number?: string; customerId?: string },
): Promise<string | null> {
  const conditions = [
    where.number ? eq(blacklist.number, where.number) : undefined,
    where.customerId ? eq(blacklist.customerId, where.customerId) : undefined,
  ].filter((c) => c !== undefined);
  if (conditions.length === 0) return null;
  const [row] = await db
    .select({ prompt: blacklist.prompt })
    .from(blacklist)
    .where(and(isNull(blacklist.liftedAt), or(...conditions)))
    .orderBy(asc(blacklist.createdAt))
    .limit(1);
  return row?.prompt ?? null;
}

/** The customer's price: the minute article of their list (discounted or overridden) and per-call articles. */
async function priceOf(db: Db, customer: CustomerRow) {
  const listId =
    customer.priceListId ??
    (await db.select({ id: priceLists.id }).from(priceLists).where(eq(priceLists.isBasic, true)).limit(1))[0]
      ?.id;
  const rows = listId
    ? await db.select().from(articles).where(eq(articles.priceListId, listId)).orderBy(asc(articles.artNr))
    : [];
  const minute = rows.find((a) => a.unit === "minute");
  const perCall = rows.filter((a) => a.unit === "call").reduce((sum, a) => sum + a.unitPrice, 0);
  return {
    articleNr: minute?.artNr ?? "MIN",
    pricePerMinute: effectivePricePerMinute(
      minute?.unitPrice ?? 0,
      customer.discountBp,
      customer.pricePerMinute,
    ),
    vatRateBp: minute?.vatRateBp ?? 2500,
    perCall,
  };
}

/** Unpaid invoices (drafts and sent ones), with VAT: what the customer owes before calling again. */
export async function unpaidTotal(db: Db, customerId: string): Promise<number> {
  const rows = await db
    .select({ amount: invoiceLines.amount, vatRateBp: invoiceLines.vatRateBp })
    .from(invoiceLines)
    .innerJoin(invoices, eq(invoices.id, invoiceLines.invoiceId))
    .where(
      and(
        eq(invoices.customerId, customerId),
        inArray(invoices.status, ["draft", "sent"]),
        eq(invoices.kind, "invoice"),
      ),
    );
  return invoiceTotals(rows).total;
}

export async function customerView(
  db: Db,
  customer: CustomerRow,
  cfg: AgentLineConfig,
): Promise<CustomerView> {
  const [reserved] = await db
    .select({ total: sql<number>`coalesce(sum(${creditReservations.amount}), 0)` })
    .from(creditReservations)
    .where(and(eq(creditReservations.customerId, customer.id), eq(creditReservations.status, "active")));
  const owed = await unpaidTotal(db, customer.id);
  const price = await priceOf(db, customer);
  return {
    id: customer.id,
    name: customer.name,
    blacklistPrompt: await blacklistPromptFor(db, { customerId: customer.id }),
    unpaid: owed > 0 ? { amount: owed } : null,
    blocked: customer.status !== "active",
    available: Math.max(
      0,
      customer.creditLimit + cfg.overdraft - customer.openBalance - Number(reserved?.total ?? 0),
    ),
    ...price,
  };
}

export async function customerByNumber(db: Db, number: string): Promise<CustomerRow | null> {
  const [row] = await db
    .select({ customer: customers })
    .from(customerNumbers)
    .innerJoin(customers, eq(customers.id, customerNumbers.customerId))
    .where(eq(customerNumbers.number, number))
    .limit(1);
  return row?.customer ?? null;
}

export async function customerByCodeHash(db: Db, codeHash: string): Promise<CustomerRow | null> {
  const [row] = await db.select().from(customers).where(eq(customers.codeHash, codeHash)).limit(1);
  return row ?? null;
}

/** A billable directory match becomes a customer: the line's starting credit, the basic price list. */
export async function createFromDirectory(
  db: Db,
  entry: DirectoryEntry,
  number: string,
  cfg: AgentLineConfig,
  lineId: string,
): Promise<CustomerRow> {
  const now = Date.now();
  const [basic] = cfg.basicPriceListId
    ? [{ id: cfg.basicPriceListId }]
    : await db.select({ id: priceLists.id }).from(priceLists).where(eq(priceLists.isBasic, true)).limit(1);
  // Keyed by the number: two first calls at once create one customer, not two.
  const id = `cu_${number.replace(/\D/g, "")}`;
  await db.batch([
    db
      .insert(customers)
      .values({
        id,
        name: entry.name,
        street: entry.street,
        postalCode: entry.postalCode,
        city: entry.city,
        country: cfg.country,
        creditLimit: cfg.startingCredit,
        priceListId: basic?.id ?? null,
        lineId,
        updatedAt: now,
      })
      .onConflictDoNothing(),
    db.insert(customerNumbers).values({ number, customerId: id }).onConflictDoNothing(),
    // One history row however many first calls raced here (its id is the customer's).
    db
      .insert(customerChanges)
      .values({
        id: `chg_created_${id}`,
        customerId: id,
        field: "created",
        oldValue: null,
        newValue: `from the address directory for ${number}`,
        actor: "directory",
        at: now,
      })
      .onConflictDoNothing(),
  ]);
  const created = await customerByNumber(db, number);
  if (!created) throw new Error("customer creation did not stick");
  return created;
}

/** When a number's lockout ends, or null when it is not locked (failures within the window). */
export async function lockedUntil(
  db: Db,
  number: string,
  cfg: AgentLineConfig,
  now: number,
): Promise<number | null> {
  const windowMs = cfg.lockout.windowHours * 3_600_000;
  const rows = await db
    .select({ at: codeFailures.at })
    .from(codeFailures)
    .where(
      and(
        eq(codeFailures.number, number),
        gte(codeFailures.at, now - windowMs - cfg.lockout.lockHours * 3_600_000),
      ),
    )
    .orderBy(asc(codeFailures.at));
  // Locked from the failure that made it N within the window, for lockHours from that failure.
  for (let i = cfg.lockout.failures - 1; i < rows.length; i++) {
    const first = rows[i - cfg.lockout.failures + 1]!.at;
    const last = rows[i]!.at;
    if (last - first <= windowMs) {
      const until = last + cfg.lockout.lockHours * 3_600_000;
      if (until > now) return until;
    }
  }
  return null;
}

export async function recordCodeFailure(db: Db, id: string, number: string, at: number): Promise<void> {
  await db.insert(codeFailures).values({ id, number, at }).onConflictDoNothing();
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
