/**
 * Credit notes, for mistakes: a sent or paid invoice is cancelled in full by a credit note in
 * the same series (the next number, gapless), every line negated. The invoice is marked credited;
 * if it was unpaid the customer no longer owes it (unblocked when nothing else is unpaid). The
 * credit note is handed to the billing service like an invoice. A draft is edited, not credited.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { nextInvoiceNumber } from "../credit-store";
import { ocrFor } from "../ocr";
import { historyRows } from "../customer-history";
import { customerChanges, customers, invoiceLines, invoices } from "../schema";
import { startHandoff, type HandoffStatus } from "./billing-handoff";
import { InvoiceActionError } from "./invoice-errors";
import { invoiceDetail, type InvoiceDetail } from "./invoice-store";

export async function creditInvoice(
  db: Db,
  env: Env,
  id: string,
  reason: string,
  actor: string,
  now: number,
): Promise<{ detail: InvoiceDetail; handoff: HandoffStatus } | null> {
  const noteId = await db.transaction(async (tx) => {
    const found = await invoiceDetail(tx, id);
    if (!found) return null;
    const { invoice, customer } = found;
    if (invoice.kind !== "invoice")
      throw new InvoiceActionError("not_an_invoice", `${id} is already a credit note.`);
    if (invoice.status === "credited")
      throw new InvoiceActionError("credited", `Invoice ${id} is already credited.`);
    if (invoice.status === "draft")
      throw new InvoiceActionError(
        "not_sent",
        `Invoice ${id} is a draft: change its lines instead of crediting it.`,
      );
    const number = await nextInvoiceNumber(tx, invoice.series);
    const noteId = `inv_${invoice.series}${number}`;
    await tx.insert(invoices).values({
      id: noteId,
      series: invoice.series,
      number,
      kind: "credit_note",
      creditsInvoiceId: id,
      customerId: customer.id,
      status: "sent",
      ocr: ocrFor(invoice.series, number),
      currency: invoice.currency,
      note: reason,
      createdAt: now,
      sentAt: now,
      updatedAt: now,
    });
    await tx.insert(invoiceLines).values(
      found.lines.map((l) => ({
        id: `${noteId}:${l.seq}`,
        invoiceId: noteId,
        seq: l.seq,
        description: `Credit: ${l.description}`,
        quantityMilli: l.quantityMilli,
        unitPrice: -l.unitPrice,
        amount: -l.amount,
        vatRateBp: l.vatRateBp,
        orderId: l.orderId,
      })),
    );
    await tx
      .update(invoices)
      .set({ status: "credited", note: reason, updatedAt: now })
      .where(eq(invoices.id, id));
    if (invoice.status === "sent" && customer.status === "blocked") {
      const [others] = await tx
        .select({ n: sql<number>`count(*)` })
        .from(invoices)
        .where(
          and(
            eq(invoices.customerId, customer.id),
            eq(invoices.kind, "invoice"),
            inArray(invoices.status, ["draft", "sent"]),
          ),
        );
      if (Number(others?.n ?? 0) === 0) {
        await tx
          .update(customers)
          .set({ status: "active", updatedAt: now })
          .where(eq(customers.id, customer.id));
        await tx
          .insert(customerChanges)
          .values(historyRows(customer.id, actor, now, [{ field: "status", from: "blocked", to: "active" }]));
      }
    }
    return noteId;
  });
  if (!noteId) return null;
  const detail = await invoiceDetail(db, noteId);
  if (!detail) throw new Error(`credit note ${noteId} vanished`);
  return { detail, handoff: await startHandoff(env, detail) };
}
