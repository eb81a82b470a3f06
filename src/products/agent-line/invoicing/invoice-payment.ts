/**
 * A payment for a sent invoice, from the API or the billing service's signed callback: the
 * invoice is paid, the customer unblocked once nothing else is unpaid, and their credit limit
 * raised by the line's rule (per paid invoice, up to its cap) — all in one transaction, with the
 * change history. The same payment again (a redelivered callback, a retried request) changes
 * nothing and answers as the first did.
 */
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { historyRows } from "../customer-history";
import { raisedLimit, rulesForLine } from "../line-rules";
import { customerChanges, customers, invoices } from "../schema";
import { InvoiceActionError } from "./invoice-errors";
import { invoiceDetail } from "./invoice-store";

export interface Payment {
  /** öre; at least the invoice's total with VAT (partial payments are not booked here). */
  amount: number;
  reference: string | null;
  paidAt: number;
  /** Who recorded it: a token id, "admin", or "billing-service". */
  actor: string;
}

export interface PaymentResult {
  invoiceId: string;
  alreadyPaid: boolean;
  customerStatus: string;
  creditLimit: number;
}

export async function recordPayment(
  db: Db,
  id: string,
  payment: Payment,
  now: number,
): Promise<PaymentResult | null> {
  return db.transaction(async (tx) => {
    const found = await invoiceDetail(tx, id);
    if (!found) return null;
    const { invoice, customer, totals } = found;
    const result = (alreadyPaid: boolean, status: string, limit: number): PaymentResult => ({
      invoiceId: id,
      alreadyPaid,
      customerStatus: status,
      creditLimit: limit,
    });
    if (invoice.kind !== "invoice")
      throw new InvoiceActionError("not_an_invoice", `${id} is a credit note: it is not paid.`);
    if (invoice.status === "paid") return result(true, customer.status, customer.creditLimit);
    if (invoice.status === "credited")
      throw new InvoiceActionError("credited", `Invoice ${id} was credited: nothing is owed on it.`);
    if (invoice.status === "draft")
      throw new InvoiceActionError("not_sent", `Invoice ${id} is a draft: send it before booking a payment.`);
    if (payment.amount < totals.total)
      throw new InvoiceActionError(
        "underpaid",
        `The payment of ${payment.amount} is less than the invoice's total of ${totals.total} (öre, VAT included).`,
      );

    await tx
      .update(invoices)
      .set({
        status: "paid",
        paidAt: payment.paidAt,
        paidAmount: payment.amount,
        paymentReference: payment.reference,
        updatedAt: now,
      })
      .where(eq(invoices.id, id));
    const [others] = await tx
      .select({ n: sql<number>`count(*)` })
      .from(invoices)
      .where(
        and(
          eq(invoices.customerId, customer.id),
          eq(invoices.kind, "invoice"),
          inArray(invoices.status, ["draft", "sent"]),
          ne(invoices.id, id),
        ),
      );
    const rules = await rulesForLine(tx, customer.lineId);
    const creditLimit = raisedLimit(customer.creditLimit, rules);
    const status = customer.status === "blocked" && Number(others?.n ?? 0) === 0 ? "active" : customer.status;
    await tx
      .update(customers)
      .set({ status, creditLimit, paidInvoices: customer.paidInvoices + 1, updatedAt: now })
      .where(eq(customers.id, customer.id));
    const history = historyRows(customer.id, payment.actor, now, [
      { field: "status", from: customer.status, to: status },
      { field: "credit_limit", from: customer.creditLimit, to: creditLimit },
      { field: "paid_invoices", from: customer.paidInvoices, to: customer.paidInvoices + 1 },
    ]);
    if (history.length) await tx.insert(customerChanges).values(history);
    return result(false, status, creditLimit);
  });
}
