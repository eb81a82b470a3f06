/**
 * What an agent-line call costs and what a customer may still spend, in öre: the customer's price
 * per minute (the price list's minute article, a percentage off, or an override), the order for a
 * call (talk rounded to the line's increment, plus per-call articles), VAT, and the talk a credit
 * reservation affords. Every division rounds through divideRoundingUp. Pure.
 */
import {
  chargeFor,
  roundUpToIncrement,
  secondsAffordable,
  type BillingIncrement,
} from "../../billing/rating";
import { divideRoundingUp } from "../../billing/rounding";

export interface CustomerPrice {
  articleNr: string;
  /** öre per minute after the customer's discount or override, ex VAT. */
  pricePerMinute: number;
  vatRateBp: number;
  /** Per-call articles (unit "call"), öre ex VAT, added to every order. */
  perCall: number;
}

/** The list's minute price, less a percentage (basis points), or the customer's own override. */
export function effectivePricePerMinute(
  listPrice: number,
  discountBp: number,
  override: number | null,
): number {
  if (override !== null) return override;
  if (discountBp <= 0) return listPrice;
  return divideRoundingUp(listPrice * (10_000 - Math.min(discountBp, 10_000)), 10_000);
}

export interface OrderAmount {
  billableSeconds: number;
  /** Talk at the customer's price, öre ex VAT. */
  talk: number;
  /** Talk plus per-call articles, öre ex VAT. */
  amount: number;
}

/** The order for `talkSeconds` of talk: rounded to the increment, at the customer's price. */
export function orderAmount(
  talkSeconds: number,
  increment: BillingIncrement,
  price: CustomerPrice,
): OrderAmount {
  const billableSeconds = roundUpToIncrement(talkSeconds, increment);
  const talk = chargeFor(billableSeconds, price.pricePerMinute);
  return { billableSeconds, talk, amount: billableSeconds > 0 ? talk + price.perCall : 0 };
}

/** VAT on an amount (negative amounts — discounts, credit notes — get negative VAT). */
export function vatOf(amount: number, vatRateBp: number): number {
  const vat = divideRoundingUp(Math.abs(amount) * vatRateBp, 10_000);
  return amount < 0 ? -vat : vat;
}

/** The talk (seconds) that `reservedOre` pays for, after the per-call articles. */
export function talkAffordable(
  reservedOre: number,
  increment: BillingIncrement,
  price: CustomerPrice,
): number {
  return secondsAffordable(Math.max(0, reservedOre - price.perCall), price.pricePerMinute, increment);
}

/** How much to reserve next: a block of minutes, or all that is left when that is less. */
export function nextReservation(
  available: number,
  blockMinutes: number,
  price: CustomerPrice,
  first: boolean,
): number {
  const block = price.pricePerMinute * blockMinutes + (first ? price.perCall : 0);
  return Math.max(0, Math.min(available, block));
}
