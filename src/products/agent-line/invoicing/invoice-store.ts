/**
 * Reading invoices: one with its lines, totals (VAT per rate) and customer — what the API shows,
 * what the hand-off carries and what a payment is checked against.
 */
import { asc, eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { customerNumbers, customers, invoiceLines, invoices, orders } from "../schema";
import { invoiceTotals, type InvoiceTotals } from "./invoice-math";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
export type Reader = Db | Tx;

export type InvoiceRow = typeof invoices.$inferSelect;
export type InvoiceLineRow = typeof invoiceLines.$inferSelect;
export type CustomerRow = typeof customers.$inferSelect;
export type OrderRow = typeof orders.$inferSelect;

export interface InvoiceDetail {
  invoice: InvoiceRow;
  lines: InvoiceLineRow[];
  totals: InvoiceTotals;
  customer: CustomerRow;
  numbers: string[];
  orders: OrderRow[];
}

export async function invoiceDetail(db: Reader, id: string): Promise<InvoiceDetail | null> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, id)).limit(1);
  if (!invoice) return null;
  // One statement at a time: inside a transaction they share one stream.
  const lines = await db
    .select()
    .from(invoiceLines)
    .where(eq(invoiceLines.invoiceId, id))
    .orderBy(asc(invoiceLines.seq));
  const [customer] = await db.select().from(customers).where(eq(customers.id, invoice.customerId)).limit(1);
  const numbers = await db
    .select({ number: customerNumbers.number })
    .from(customerNumbers)
    .where(eq(customerNumbers.customerId, invoice.customerId))
    .orderBy(asc(customerNumbers.number));
  // A credit note shows the calls of the invoice it corrects.
  const billed = await db
    .select()
    .from(orders)
    .where(eq(orders.invoiceId, invoice.creditsInvoiceId ?? id))
    .orderBy(asc(orders.at));
  if (!customer) return null;
  return {
    invoice,
    lines,
    totals: invoiceTotals(lines),
    customer,
    numbers: numbers.map((n) => n.number),
    orders: billed,
  };
}

export async function invoiceRow(db: Reader, id: string): Promise<InvoiceRow | null> {
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, id)).limit(1);
  return invoice ?? null;
}
