/**
 * An invoice's figures from its lines: net, VAT per rate and in all, and the total, in öre. VAT is
 * taken per rate over the net of that rate's lines (discount lines included), through vatOf. Pure.
 */
import { divideRoundingUp } from "../../../billing/rounding";
import { vatOf } from "../pricing";

export interface LineAmount {
  amount: number;
  vatRateBp: number;
}

export interface InvoiceTotals {
  net: number;
  vat: number;
  total: number;
  byRate: { vatRateBp: number; net: number; vat: number }[];
}

export function invoiceTotals(lines: readonly LineAmount[]): InvoiceTotals {
  const rates = new Map<number, number>();
  for (const line of lines) rates.set(line.vatRateBp, (rates.get(line.vatRateBp) ?? 0) + line.amount);
  const byRate = [...rates.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([vatRateBp, net]) => ({ vatRateBp, net, vat: vatOf(net, vatRateBp) }));
  const net = byRate.reduce((s, r) => s + r.net, 0);
  const vat = byRate.reduce((s, r) => s + r.vat, 0);
  return { net, vat, total: net + vat, byRate };
}

/** A line's amount: quantity (thousandths of a unit) × unit price, rounded through divideRoundingUp. */
export function lineAmount(quantityMilli: number, unitPrice: number): number {
  const magnitude = divideRoundingUp(Math.abs(quantityMilli * unitPrice), 1000);
  return quantityMilli * unitPrice < 0 ? -magnitude : magnitude;
}
