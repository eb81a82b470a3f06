/**
 * Credit and money for agent-line calls, in Turso: reserving credit with one conditional INSERT (so
 * concurrent calls of one customer can never spend the same öre twice), settling a call once (its
 * reservations released, its order written, the open balance moved) and, at the credit limit, the
 * invoice drafted from the open orders with the customer blocked until it is paid.
 */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import type { AgentLineConfig } from "./config";
import { ocrFor } from "./ocr";
import { historyRows } from "./customer-history";
import { creditReservations, customerChanges, customers, invoiceLines, invoices, orders } from "./schema";
import type { AgentLineCommand } from "./vocabulary";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
type Settle = Extract<AgentLineCommand, { type: "settle_order" }>;

/**
 * Reserves up to `amount` öre of what the customer has left (limit + overdraft − open balance −
 * active reservations), at least `minimum`; returns what was reserved (0: refused). A retry with
 * the same id returns the first answer.
 */
export async function reserveCredit(
  db: Db,
  r: { id: string; callId: string; customerId: string; amount: number; minimum: number; overdraft: number },
): Promise<number> {
  const [, row] = await db.batch([
    db.run(sql`
      INSERT OR IGNORE INTO credit_reservations (id, call_id, customer_id, amount, status)
      SELECT ${r.id}, ${r.callId}, c.id, min(${r.amount}, c.avail), 'active'
      FROM (SELECT id, credit_limit + ${r.overdraft} - open_balance
              - coalesce((SELECT sum(amount) FROM credit_reservations
                          WHERE customer_id = customers.id AND status = 'active'), 0) AS avail
            FROM customers WHERE id = ${r.customerId} AND status = 'active') c
      WHERE c.avail >= ${Math.max(1, r.minimum)}`),
    db
      .select({ amount: creditReservations.amount })
      .from(creditReservations)
      .where(eq(creditReservations.id, r.id)),
  ]);
  return row[0]?.amount ?? 0;
}

/** The next number of a series: the statement's own max+1, inside the writing transaction (gapless). */
export async function nextInvoiceNumber(tx: Tx, series: string): Promise<number> {
  const [row] = await tx
    .select({ next: sql<number>`coalesce(max(${invoices.number}), 0) + 1` })
    .from(invoices)
    .where(eq(invoices.series, series));
  return Number(row?.next ?? 1);
}

/**
 * Drafts an invoice from the customer's open orders (one line each) and blocks the customer; the
 * open balance drops by what moved onto it. Inside the caller's transaction. Null: nothing open.
 */
export async function draftInvoice(
  tx: Tx,
  customerId: string,
  cfg: Pick<AgentLineConfig, "invoiceSeries" | "currency">,
  now: number,
): Promise<string | null> {
  const open = await tx
    .select()
    .from(orders)
    .where(and(eq(orders.customerId, customerId), isNull(orders.invoiceId)))
    .orderBy(asc(orders.at), asc(orders.id));
  if (open.length === 0) return null;
  const number = await nextInvoiceNumber(tx, cfg.invoiceSeries);
  const id = `inv_${cfg.invoiceSeries}${number}`;
  await tx.insert(invoices).values({
    id,
    series: cfg.invoiceSeries,
    number,
    customerId,
    status: "draft",
    ocr: ocrFor(cfg.invoiceSeries, number),
    currency: cfg.currency,
    createdAt: now,
    updatedAt: now,
  });
  await tx.insert(invoiceLines).values(
    open.map((o, i) => ({
      id: `${id}:${i + 1}`,
      invoiceId: id,
      seq: i + 1,
      description: `Call ${new Date(o.at).toISOString().slice(0, 16).replace("T", " ")} UTC, ${Math.round(o.billableSeconds / 60)} min`,
      quantityMilli: 1000,
      unitPrice: o.amount,
      amount: o.amount,
      vatRateBp: o.vatRateBp,
      orderId: o.id,
    })),
  );
  const moved = open.reduce((s, o) => s + o.amount, 0);
  await tx
    .update(orders)
    .set({ invoiceId: id })
    .where(and(eq(orders.customerId, customerId), isNull(orders.invoiceId)));
  await tx
    .update(customers)
    .set({ openBalance: sql`${customers.openBalance} - ${moved}`, status: "blocked", updatedAt: now })
    .where(eq(customers.id, customerId));
  await tx
    .insert(customerChanges)
    .values(
      historyRows(customerId, `invoice ${id}`, now, [{ field: "status", from: "active", to: "blocked" }]),
    );
  return id;
}

/**
 * Ends a call's credit once: its reservations are released, its order (keyed by the call) written
 * with the open balance raised by it, and at the credit limit (less than a minute's call left
 * under it) an invoice drafted from the open orders. A repeat finds
 * the order and changes nothing.
 */
export async function settleOrder(
  db: Db,
  callId: string,
  cmd: Settle,
  cfg: AgentLineConfig,
  now: number,
): Promise<{ orderId: string | null; invoiceId: string | null }> {
  return db.transaction(async (tx) => {
    await tx
      .update(creditReservations)
      .set({ status: "settled" })
      .where(and(eq(creditReservations.callId, callId), eq(creditReservations.status, "active")));
    const [existing] = await tx
      .select({ invoiceId: orders.invoiceId })
      .from(orders)
      .where(eq(orders.id, callId));
    if (existing) return { orderId: callId, invoiceId: existing.invoiceId };
    if (cmd.billableSeconds <= 0) return { orderId: null, invoiceId: null };
    await tx.insert(orders).values({
      id: callId,
      customerId: cmd.customerId,
      lineId: cmd.lineId,
      talkSeconds: cmd.talkSeconds,
      billableSeconds: cmd.billableSeconds,
      articleNr: cmd.articleNr,
      pricePerMinute: cmd.pricePerMinute,
      extras: cmd.extras,
      amount: cmd.amount,
      currency: cfg.currency,
      vatRateBp: cmd.vatRateBp,
      at: now,
    });
    const [customer] = await tx
      .update(customers)
      .set({ openBalance: sql`${customers.openBalance} + ${cmd.amount}`, updatedAt: now })
      .where(eq(customers.id, cmd.customerId))
      .returning({ openBalance: customers.openBalance, creditLimit: customers.creditLimit });
    // At the limit: what is left under it no longer pays for a minute's call (with an overdraft,
    // the balance may also have gone past it).
    const atLimit =
      customer && customer.creditLimit - customer.openBalance < Math.max(1, cmd.nextCallMinimum);
    const invoiceId = atLimit ? await draftInvoice(tx, cmd.customerId, cfg, now) : null;
    return { orderId: callId, invoiceId };
  });
}
