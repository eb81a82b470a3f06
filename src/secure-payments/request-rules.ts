/**
 * What a payment request must be before the caller hears anything: an item named in a few words,
 * a positive whole amount in minor units no larger than the line's maximum, in the line's own
 * currency, on a line where secure payments are on. Pure; a refusal names the field at fault.
 */
import { minorToDecimal } from "../billing/currency";
import { refuse, type ActionReply } from "../ivr/actions";
import type { SecurePaymentSettings } from "./config";

export const ITEM_MAX_LENGTH = 80;

export interface CheckedRequest {
  item: string;
  amount: number;
  currency: string;
}

export type RequestCheck = { ok: true; request: CheckedRequest } | { ok: false; reply: ActionReply };

const invalid = (field: string, message: string): RequestCheck => ({
  ok: false,
  reply: refuse(422, "Invalid request", `The payment request's ${field} is not valid.`, [{ field, message }]),
});

export function checkRequest(params: Record<string, unknown>, settings: SecurePaymentSettings): RequestCheck {
  if (!settings.enabled)
    return {
      ok: false,
      reply: refuse(409, "Secure payments are off", "This line does not take secure payments."),
    };
  const item = typeof params.item === "string" ? params.item.trim() : "";
  if (!item) return invalid("item", "is required: the name of what the caller pays for");
  if (item.length > ITEM_MAX_LENGTH) return invalid("item", `must be at most ${ITEM_MAX_LENGTH} characters`);
  const amount = params.amount;
  if (typeof amount !== "number" || !Number.isSafeInteger(amount) || amount <= 0)
    return invalid("amount", "must be a positive whole number of minor units (cents, öre)");
  const currency = typeof params.currency === "string" ? params.currency.toLowerCase() : "";
  if (currency !== settings.currency)
    return invalid("currency", `must be the line's currency, ${settings.currency.toUpperCase()}`);
  if (amount > settings.maxAmount)
    return invalid(
      "amount",
      `must be at most ${settings.maxAmount} (${minorToDecimal(settings.maxAmount, currency)} ${currency.toUpperCase()}), the line's maximum`,
    );
  return { ok: true, request: { item, amount, currency } };
}
