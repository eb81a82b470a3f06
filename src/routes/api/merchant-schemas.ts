/**
 * A merchant's wire shapes and lookups, shared by the merchants router and the lines routes (a
 * line may only be given to a merchant whose Stripe account can take charges).
 */
import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { notFoundProblem, ProblemError, validationProblem } from "../../api/problem";
import { idParam, IsoTime, toIso } from "../../api/schemas";
import type { Db } from "../../db/client";
import { merchants } from "../../db/schema";

export const MerchantSchema = z
  .object({
    id: z.string().openapi({ example: "mer_7Qd2kLmN0pXs4TuV8wYz" }),
    name: z.string(),
    email: z.string().nullable(),
    country: z.string().openapi({ example: "US" }),
    stripe_account_id: z.string().openapi({ example: "acct_1Q2w3E4r5T6y7U8i" }),
    details_submitted: z.boolean(),
    charges_enabled: z.boolean().openapi({ description: "Calls to this merchant's lines can be charged" }),
    payouts_enabled: z.boolean(),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .openapi("Merchant");

export const MerchantCreate = z
  .object({
    name: z.string().trim().min(1).max(120),
    email: z.email().optional(),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 country code in capitals, e.g. US")
      .default("US"),
  })
  .strict()
  .openapi("MerchantCreate");

const HttpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
export const AccountLinkCreate = z
  .object({
    refresh_url: HttpUrl.openapi({
      description: "Where Stripe sends the merchant when the link has expired: ask for a new link there",
    }),
    return_url: HttpUrl.openapi({ description: "Where Stripe sends the merchant after onboarding" }),
  })
  .strict()
  .openapi("AccountLinkCreate");

export const AccountLinkSchema = z
  .object({
    url: z.string().openapi({ description: "Stripe's hosted onboarding page (single use)" }),
    expires_at: IsoTime,
  })
  .openapi("AccountLink");

export const MerchantParams = z.object({ merchantId: idParam("merchantId", "mer_7Qd2kLmN0pXs4TuV8wYz") });

export type MerchantRow = typeof merchants.$inferSelect;
export const renderMerchant = (row: MerchantRow) => ({
  id: row.id,
  name: row.name,
  email: row.email,
  country: row.country,
  stripe_account_id: row.stripeAccountId,
  details_submitted: row.detailsSubmitted,
  charges_enabled: row.chargesEnabled,
  payouts_enabled: row.payoutsEnabled,
  created_at: toIso(row.createdAt),
  updated_at: toIso(row.updatedAt),
});

export async function findMerchant(db: Db, merchantId: string): Promise<MerchantRow> {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, merchantId)).limit(1);
  if (!row) throw notFoundProblem(`Merchant ${merchantId}`);
  return row;
}

/**
 * A line given to a merchant must be chargeable now: a line whose money would go to an account
 * Stripe refuses would be a line that takes callers' time and cannot be paid.
 */
export async function requireChargeableMerchant(db: Db, merchantId: string): Promise<MerchantRow> {
  const [row] = await db.select().from(merchants).where(eq(merchants.id, merchantId)).limit(1);
  const field = "merchant_id";
  if (!row) throw validationProblem([{ field, message: `no merchant ${merchantId}` }]);
  if (!row.chargesEnabled)
    throw new ProblemError(
      409,
      "Conflict",
      `Merchant ${merchantId} cannot take charges yet: finish Stripe onboarding (POST /v1/merchants/${merchantId}/account-links) first.`,
      "urn:meterline:problem:merchant-charges-disabled",
      { errors: [{ field, message: "the merchant's Stripe account cannot take charges yet" }] },
    );
  return row;
}
