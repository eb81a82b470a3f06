/**
 * Changing a draft invoice before it is sent (the seed's "edited" step): a line's price, quantity
 * or wording, or a discount line added. Sent, paid and credited invoices are never changed — a
 * mistake after sending is corrected with a credit note.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { invoiceLines, invoices } from "../schema";
import { InvoiceActionError } from "./invoice-errors";
import { lineAmount } from "./invoice-math";
import { invoiceRow, type Reader } from "./invoice-store";

export interface LinePatch {
  description?: string;
  quantityMilli?: number;
  unitPrice?: number;
  vatRateBp?: number;
}

export interface NewLine {
  description: string;
  quantityMilli: number;
  /** öre per unit ex VAT; negative for a discount. */
  unitPrice: number;
  vatRateBp: number;
}

async function draftOrThrow(tx: Reader, id: string) {
  const invoice = await invoiceRow(tx, id);
  if (!invoice) return null;
  if (invoice.status !== "draft")
    throw new InvoiceActionError(
      "not_draft",
      `Invoice ${id} is ${invoice.status}: only a draft can be changed. Correct a sent invoice with a credit note.`,
    );
  return invoice;
}

/** Null: no such invoice, or no such line on it. */
export async function editInvoiceLine(
  db: Db,
  id: string,
  seq: number,
  patch: LinePatch,
  now: number,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    if (!(await draftOrThrow(tx, id))) return false;
    const [line] = await tx
      .select()
      .from(invoiceLines)
      .where(and(eq(invoiceLines.invoiceId, id), eq(invoiceLines.seq, seq)));
    if (!line) return false;
    const quantityMilli = patch.quantityMilli ?? line.quantityMilli;
    const unitPrice = patch.unitPrice ?? line.unitPrice;
    await tx
      .update(invoiceLines)
      .set({
        description: patch.description ?? line.description,
        quantityMilli,
        unitPrice,
        vatRateBp: patch.vatRateBp ?? line.vatRateBp,
        amount: lineAmount(quantityMilli, unitPrice),
      })
      .where(eq(invoiceLines.id, line.id));
    await tx.update(invoices).set({ updatedAt: now }).where(eq(invoices.id, id));
    return true;
  });
}

/** Adds a line at the end (a discount is a negative unit price); its number, or null: no such invoice. */
export async function addInvoiceLine(db: Db, id: string, line: NewLine, now: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    if (!(await draftOrThrow(tx, id))) return null;
    const [row] = await tx
      .select({ next: sql<number>`coalesce(max(${invoiceLines.seq}), 0) + 1` })
      .from(invoiceLines)
      .where(eq(invoiceLines.invoiceId, id));
    const seq = Number(row?.next ?? 1);
    await tx.insert(invoiceLines).values({
      id: `${id}:${seq}`,
      invoiceId: id,
      seq,
      description: line.description,
      quantityMilli: line.quantityMilli,
      unitPrice: line.unitPrice,
      amount: lineAmount(line.quantityMilli, line.unitPrice),
      vatRateBp: line.vatRateBp,
      orderId: null,
    });
    await tx.update(invoices).set({ updatedAt: now }).where(eq(invoices.id, id));
    return seq;
  });
}
