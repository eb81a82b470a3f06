/**
 * Sending an invoice (a manual action, as the seed says): draft → sent with its due date, then
 * the signed hand-off to the billing service, delivered until acknowledged. Sending again changes
 * nothing and re-offers the same hand-off (one idempotency key per invoice, so never two).
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../../db/client";
import { rulesForLine } from "../line-rules";
import { invoices } from "../schema";
import { startHandoff, type HandoffStatus } from "./billing-handoff";
import { InvoiceActionError } from "./invoice-errors";
import { invoiceDetail, type InvoiceDetail } from "./invoice-store";

const DAY_MS = 86_400_000;

export async function sendInvoice(
  db: Db,
  env: Env,
  id: string,
  now: number,
): Promise<{ detail: InvoiceDetail; handoff: HandoffStatus } | null> {
  const detail = await db.transaction(async (tx) => {
    const found = await invoiceDetail(tx, id);
    if (!found) return null;
    const { invoice } = found;
    if (invoice.status === "credited")
      throw new InvoiceActionError("credited", `Invoice ${id} was credited and cannot be sent.`);
    if (invoice.status !== "draft") return found;
    if (found.lines.length === 0)
      throw new InvoiceActionError("no_lines", `Invoice ${id} has no lines to send.`);
    const rules = await rulesForLine(tx, found.customer.lineId);
    const sent = {
      status: "sent" as const,
      sentAt: now,
      dueAt: now + rules.dueDays * DAY_MS,
      updatedAt: now,
    };
    await tx.update(invoices).set(sent).where(eq(invoices.id, id));
    return { ...found, invoice: { ...invoice, ...sent } };
  });
  if (!detail) return null;
  return { detail, handoff: await startHandoff(env, detail) };
}
