/**
 * A customer's wire shapes: create, merge-patch update, and the response. Amounts are öre. The
 * customer code is write-only (a response says only `has_customer_code`); numbers are E.164 or
 * national text, read for the customer's country, and every one that is no number is named.
 */
import { z } from "@hono/zod-openapi";
import { idParam, IsoTime } from "../../../api/schemas";
import { toE164 } from "../../../phone/e164";
import { customers } from "../schema";
import { checkPhone, EVEN_WITH_OTHER_ERRORS, PhoneText } from "./phone-input";

export const CUSTOMER_TAG = ["Customers"];
export const CUSTOMER_STATUSES = customers.status.enumValues;

/** For fields a merge patch may not remove: `null` says so instead of "must be text". */
const keep = {
  error: (issue: { input?: unknown }) =>
    issue.input === null ? "cannot be removed; send a value" : undefined,
};

const Text = (max: number, params = {}) => z.string(params).trim().min(1).max(max);
const Country = (params = {}) =>
  z
    .string(params)
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be a two-letter country code like SE")
    .openapi({ example: "SE" });
const Email = z.email().max(254).openapi({ example: "anna@example.se" });
const Ore = (params = {}) => z.int(params).min(0).max(1_000_000_000_000);
const DiscountBp = (params = {}) =>
  z
    .int(params)
    .min(0)
    .max(10_000)
    .openapi({ description: "Off the price list, in basis points (1000 = 10 %)", example: 1000 });
const Reference = z.string().trim().min(1).max(200);
const CustomerCode = z
  .string()
  .regex(/^\d{4,12}$/, "must be 4 to 12 digits")
  .openapi({
    description: "Write-only: what a caller with an unlisted or secret number keys in. Never shown again.",
    example: "482913",
  });

function checkNumbers(ctx: z.RefinementCtx, numbers: unknown, country: unknown): void {
  if (!Array.isArray(numbers)) return;
  const at = typeof country === "string" && /^[A-Z]{2}$/.test(country) ? country : "SE";
  const first = new Map<string, number>();
  numbers.forEach((value: unknown, i) => {
    checkPhone(ctx, ["numbers", i], value, at);
    const number = typeof value === "string" ? toE164(value, at) : null;
    if (number === null) return;
    const seen = first.get(number);
    if (seen === undefined) first.set(number, i);
    else ctx.addIssue({ code: "custom", path: ["numbers", i], message: `repeats numbers.${seen}` });
  });
}

function checkPriceRule(ctx: z.RefinementCtx, discount: unknown, override: unknown): void {
  if (typeof discount === "number" && discount > 0 && typeof override === "number")
    ctx.addIssue({
      code: "custom",
      path: ["price_per_minute"],
      message:
        "cannot be combined with discount_bp: a customer has a discount or a price of their own, not both",
    });
}

export const CustomerCreate = z
  .object({
    name: Text(200).openapi({ example: "Anna Berg" }),
    street: Text(200).optional().openapi({ example: "Storgatan 1" }),
    postal_code: Text(20).optional().openapi({ example: "111 22" }),
    city: Text(100).optional().openapi({ example: "Stockholm" }),
    country: Country().default("SE"),
    email: Email.optional(),
    credit_limit: Ore()
      .optional()
      .openapi({ description: "öre; default: the line's starting credit, else 100000 (1000 SEK)" }),
    price_list_id: Reference.nullable()
      .optional()
      .openapi({ description: "Default: the basic price list; null for none" }),
    discount_bp: DiscountBp().default(0),
    price_per_minute: Ore()
      .optional()
      .openapi({ description: "öre per minute instead of the list's price", example: 1990 }),
    numbers: z.array(PhoneText).max(20).default([]),
    customer_code: CustomerCode.optional(),
    line_id: Reference.optional().openapi({ description: "The agent line whose credit rules apply" }),
  })
  .strict()
  .superRefine((body, ctx) => {
    checkNumbers(ctx, body.numbers, body.country);
    checkPriceRule(ctx, body.discount_bp, body.price_per_minute);
  }, EVEN_WITH_OTHER_ERRORS)
  .openapi("CustomerCreate");

export type CustomerCreateBody = z.output<typeof CustomerCreate>;

export const CustomerUpdate = z
  .object({
    name: Text(200, keep),
    street: Text(200).nullable(),
    postal_code: Text(20).nullable(),
    city: Text(100).nullable(),
    country: Country(keep),
    email: Email.nullable(),
    status: z.enum(CUSTOMER_STATUSES, keep),
    credit_limit: Ore(keep),
    price_list_id: Reference.nullable(),
    discount_bp: DiscountBp(keep),
    price_per_minute: Ore().nullable(),
    customer_code: CustomerCode.nullable().openapi({ description: "A new code; null removes it" }),
    line_id: Reference.nullable(),
  })
  .partial()
  .strict()
  .openapi("CustomerUpdate");

export type CustomerPatch = z.output<typeof CustomerUpdate>;

export const CustomerSchema = z
  .object({
    id: z.string().openapi({ example: "cu_4fJ9s0QbXk2mT7aLzP1c" }),
    name: z.string(),
    street: z.string().nullable(),
    postal_code: z.string().nullable(),
    city: z.string().nullable(),
    country: z.string(),
    email: z.string().nullable(),
    status: z.enum(CUSTOMER_STATUSES),
    credit_limit: z.int().openapi({ description: "öre" }),
    open_balance: z.int().openapi({ description: "Orders not yet invoiced, öre ex VAT" }),
    available_credit: z.int().openapi({
      description: "öre: credit limit − open balance − credit held by calls now (before any overdraft)",
    }),
    price_list_id: z.string().nullable(),
    discount_bp: z.int(),
    price_per_minute: z.int().nullable(),
    numbers: z.array(z.string()).openapi({ example: ["+4681234567"] }),
    has_customer_code: z.boolean(),
    line_id: z.string().nullable(),
    paid_invoices: z.int(),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .openapi("Customer");

export type CustomerJson = z.infer<typeof CustomerSchema>;

export const CustomerParams = z.object({ customerId: idParam("customerId", "cu_4fJ9s0QbXk2mT7aLzP1c") });
