/**
 * /v1/merchants: advisers paid directly. Creating one creates its Stripe Express account (paid out
 * daily); /account-links hands out Stripe's hosted onboarding page. The account's flags are kept
 * current by `account.updated` webhooks (src/payments/merchant-accounts.ts), never set here.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { desc, and, eq } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { fenceOf } from "../../api/merchant-scope";
import { createApiRouter, dbOf } from "../../api/context";
import { newId } from "../../api/ids";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { ProblemError, problemResponses } from "../../api/problem";
import { createdHeaders, jsonContent as json, locationOf, toIso } from "../../api/schemas";
import { isUniqueViolation } from "../../api/sql-errors";
import { loadConfig } from "../../config";
import { merchants } from "../../db/schema";
import { createStripeConnect, type Connect } from "../../payments/connect";
import { PaymentsRejectedError, PaymentsUnavailableError } from "../../payments/payments";
import {
  AccountLinkCreate,
  AccountLinkSchema,
  findMerchant,
  MerchantCreate,
  MerchantParams,
  MerchantSchema,
  renderMerchant,
} from "./merchant-schemas";

const connectOf = (c: { env: Env }): Connect => {
  const cfg = loadConfig(c.env);
  return createStripeConnect({ secretKey: cfg.STRIPE_SECRET_KEY, apiBase: cfg.STRIPE_API_BASE });
};

/** Stripe's failure as a problem: retry-later is a 503, anything else a 502 naming Stripe's code only. */
async function atStripe<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof PaymentsUnavailableError)
      throw new ProblemError(
        503,
        "Service Unavailable",
        "Stripe could not be reached; retry later.",
        "about:blank",
        {},
        { "retry-after": "5" },
      );
    if (err instanceof PaymentsRejectedError)
      throw new ProblemError(
        502,
        "Bad Gateway",
        "Stripe refused the request.",
        "urn:meterline:problem:stripe-refused",
        {
          code: err.code,
        },
      );
    throw err;
  }
}

const IdempotencyHeader = z.object({
  "idempotency-key": z.string().min(1).max(200).optional().openapi({
    description: "Send the same key when retrying: the same merchant (and Stripe account) comes back",
  }),
});

const tag = ["Merchants"];
export const merchantsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/merchants",
      tags: tag,
      summary: "Create a merchant and its Stripe Express account (daily payouts)",
      ...scoped("admin"),
      request: { headers: IdempotencyHeader, body: { required: true, content: json(MerchantCreate) } },
      responses: {
        200: {
          description: "Replayed: the merchant this Idempotency-Key created",
          content: json(MerchantSchema),
        },
        201: { description: "Created", headers: createdHeaders, content: json(MerchantSchema) },
        ...problemResponses(401, 403, 422, 502, 503),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const clientKey = c.req.valid("header")["idempotency-key"];
      const id = newId("mer");
      // With the client's key Stripe replays the same account, which then finds the same merchant.
      const idempotencyKey = clientKey ? `merchant-create:${clientKey}` : `merchant-create:${id}`;
      const account = await atStripe(() =>
        connectOf(c).createAccount({
          name: body.name,
          email: body.email,
          country: body.country,
          idempotencyKey,
        }),
      );
      const db = dbOf(c);
      const now = Date.now();
      const values = {
        id,
        name: body.name,
        email: body.email ?? null,
        country: body.country,
        stripeAccountId: account.accountId,
        detailsSubmitted: account.detailsSubmitted,
        chargesEnabled: account.chargesEnabled,
        payoutsEnabled: account.payoutsEnabled,
        stripeUpdatedAt: null,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.insert(merchants).values(values);
      } catch (err) {
        if (!isUniqueViolation(err, "merchants.stripe_account_id")) throw err;
        const [existing] = await db
          .select()
          .from(merchants)
          .where(eq(merchants.stripeAccountId, account.accountId));
        if (!existing) throw err;
        return c.json(renderMerchant(existing), 200);
      }
      return c.json(renderMerchant(values), 201, { location: locationOf(c, id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/merchants",
      tags: tag,
      summary: "List merchants, newest first",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { query: z.object({ ...pageQuery }) },
      responses: {
        200: { description: "A page of merchants", content: json(pageOf(MerchantSchema, "MerchantPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const rows = await dbOf(c)
        .select()
        .from(merchants)
        .where(
          and(
            fenceOf(c.get("principal"), (m) => eq(merchants.id, m)),
            afterCursor(q.cursor, merchants.createdAt, merchants.id, "desc"),
          ),
        )
        .orderBy(desc(merchants.createdAt), desc(merchants.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.createdAt, r.id], renderMerchant),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/merchants/{merchantId}",
      tags: tag,
      summary: "Get a merchant (its Stripe account's flags as last reported by Stripe)",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: MerchantParams },
      responses: {
        200: { description: "The merchant", content: json(MerchantSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(renderMerchant(await findMerchant(dbOf(c), c.req.valid("param").merchantId)), 200),
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/merchants/{merchantId}/account-links",
      tags: tag,
      summary: "Get Stripe's hosted onboarding link for the merchant (single use, expires soon)",
      ...scoped("admin", "merchant"),
      request: { params: MerchantParams, body: { required: true, content: json(AccountLinkCreate) } },
      responses: {
        // Not a resource of ours (nothing to GET at a Location): a one-off link, so 200.
        200: { description: "The onboarding link", content: json(AccountLinkSchema) },
        ...problemResponses(401, 403, 404, 422, 502, 503),
      },
    }),
    async (c) => {
      const merchant = await findMerchant(dbOf(c), c.req.valid("param").merchantId);
      const body = c.req.valid("json");
      const link = await atStripe(() =>
        connectOf(c).createOnboardingLink(merchant.stripeAccountId, {
          refreshUrl: body.refresh_url,
          returnUrl: body.return_url,
        }),
      );
      return c.json({ url: link.url, expires_at: toIso(link.expiresAt) }, 200);
    },
  );
