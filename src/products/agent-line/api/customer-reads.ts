/**
 * Reading customers for the API: one by id (404 otherwise), and rendering rows with their numbers
 * and the credit their calls hold right now, two queries for a whole page. Never the code's hash:
 * a response says only whether a code is set.
 */
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { notFoundProblem } from "../../../api/problem";
import { toIso } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { creditReservations, customerNumbers, customers } from "../schema";
import type { CustomerRow } from "./customer-changes";
import type { CustomerJson } from "./customer-schemas";

/** Any reader: the database, or a transaction that reads before it writes. */
export type Reader = Pick<Db, "select">;

export async function findCustomer(db: Reader, customerId: string): Promise<CustomerRow> {
  const [row] = await db.select().from(customers).where(eq(customers.id, customerId)).limit(1);
  if (!row) throw notFoundProblem(`Customer ${customerId}`);
  return row;
}

export function renderCustomer(row: CustomerRow, numbers: string[], reserved: number): CustomerJson {
  return {
    id: row.id,
    name: row.name,
    street: row.street,
    postal_code: row.postalCode,
    city: row.city,
    country: row.country,
    email: row.email,
    status: row.status,
    credit_limit: row.creditLimit,
    open_balance: row.openBalance,
    available_credit: Math.max(0, row.creditLimit - row.openBalance - reserved),
    price_list_id: row.priceListId,
    discount_bp: row.discountBp,
    price_per_minute: row.pricePerMinute,
    numbers,
    has_customer_code: row.codeHash !== null,
    line_id: row.lineId,
    paid_invoices: row.paidInvoices,
    created_at: toIso(row.createdAt),
    updated_at: toIso(row.updatedAt),
  };
}

/** Each customer's numbers, oldest first; numbers added together in the order they were sent (rowid). */
export async function numbersOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const byCustomer = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return byCustomer;
  const rows = await db
    .select({ customerId: customerNumbers.customerId, number: customerNumbers.number })
    .from(customerNumbers)
    .where(inArray(customerNumbers.customerId, ids))
    .orderBy(asc(customerNumbers.createdAt), asc(sql`${customerNumbers}.rowid`));
  for (const r of rows) byCustomer.get(r.customerId)?.push(r.number);
  return byCustomer;
}

export async function renderCustomers(db: Db, rows: CustomerRow[]): Promise<CustomerJson[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [numbers, held] = await Promise.all([
    numbersOf(db, ids),
    db
      .select({
        customerId: creditReservations.customerId,
        total: sql<number>`coalesce(sum(${creditReservations.amount}), 0)`,
      })
      .from(creditReservations)
      .where(and(inArray(creditReservations.customerId, ids), eq(creditReservations.status, "active")))
      .groupBy(creditReservations.customerId),
  ]);
  const reserved = new Map(held.map((h) => [h.customerId, Number(h.total)]));
  return rows.map((row) => renderCustomer(row, numbers.get(row.id) ?? [], reserved.get(row.id) ?? 0));
}

export async function customerJson(db: Db, customerId: string): Promise<CustomerJson> {
  const [json] = await renderCustomers(db, [await findCustomer(db, customerId)]);
  return json!;
}
