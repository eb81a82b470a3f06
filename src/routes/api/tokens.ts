/**
 * /v1/tokens: API tokens for people and programs. The secret is returned once, at creation; the
 * database keeps only its SHA-256 and a short prefix. Revoking stamps revoked_at (rows are kept).
 * Admin scope only, reads included: the list shows who holds which power, which is an admin's business.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { scoped } from "../../api/auth";
import { createApiRouter, dbOf } from "../../api/context";
import { newId, newTokenSecret, sha256Hex, tokenPrefixOf } from "../../api/ids";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { notFoundProblem, problemResponses, validationProblem } from "../../api/problem";
import {
  BooleanQuery,
  idParam,
  IsoTime,
  toIso,
  toIsoOrNull,
  jsonContent as json,
  createdHeaders,
  locationOf,
} from "../../api/schemas";
import { agents, apiTokens, merchants } from "../../db/schema";

const SCOPES = ["admin", "agent", "readonly", "merchant"] as const;

const TokenSchema = z
  .object({
    id: z.string().openapi({ example: "tok_8sKd0Lm2Pq4Rt6Vx9Yz1" }),
    name: z.string(),
    prefix: z.string().openapi({ example: "ml_a1B2c3", description: "First characters of the secret" }),
    scopes: z.array(z.enum(SCOPES)),
    agent_id: z.string().nullable().openapi({
      description: "The agent an agent-scoped token belongs to: it sees and acts on that agent's call only",
    }),
    merchant_id: z.string().nullable().openapi({
      description:
        "The merchant a merchant-scoped token belongs to: it sees and changes that merchant's lines, agents, calls, payments, voicemails and statements only",
    }),
    created_at: IsoTime,
    last_used_at: IsoTime.nullable(),
    revoked_at: IsoTime.nullable(),
  })
  .openapi("ApiToken");

const CreatedTokenSchema = TokenSchema.extend({
  token: z.string().openapi({ description: "The secret. Shown only in this response; store it now." }),
}).openapi("CreatedApiToken");

const TokenCreate = z
  .object({
    name: z.string().trim().min(1).max(120),
    scopes: z
      .array(z.enum(SCOPES))
      .min(1)
      .max(4)
      .refine((s) => new Set(s).size === s.length, "must not repeat a scope"),
    /** Required with scope agent: the token is that agent's (it reaches that agent's call only). */
    agent_id: z.string().trim().min(1).max(200).optional(),
    /** Required with scope merchant, which stands alone: the token is that merchant's. */
    merchant_id: z.string().trim().min(1).max(200).optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    const agent = body.scopes.includes("agent");
    if (agent && !body.agent_id)
      ctx.addIssue({
        code: "custom",
        path: ["agent_id"],
        message: "is required for a token with scope agent",
      });
    if (!agent && body.agent_id)
      ctx.addIssue({ code: "custom", path: ["agent_id"], message: "is only for tokens with scope agent" });
    const merchant = body.scopes.includes("merchant");
    // Alone, so a merchant's token can never also carry a scope that sees every merchant.
    if (merchant && body.scopes.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["scopes"],
        message: "merchant cannot be combined with another scope",
      });
    if (merchant && !body.merchant_id)
      ctx.addIssue({
        code: "custom",
        path: ["merchant_id"],
        message: "is required for a token with scope merchant",
      });
    if (!merchant && body.merchant_id)
      ctx.addIssue({
        code: "custom",
        path: ["merchant_id"],
        message: "is only for tokens with scope merchant",
      });
  })
  .openapi("ApiTokenCreate");

type TokenRow = typeof apiTokens.$inferSelect;
const render = (row: TokenRow) => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  agent_id: row.agentId,
  merchant_id: row.merchantId,
  created_at: toIso(row.createdAt),
  last_used_at: toIsoOrNull(row.lastUsedAt),
  revoked_at: toIsoOrNull(row.revokedAt),
});

/** A merchant token names a merchant that exists (422 naming the field otherwise). */
async function merchantExists(c: { env: Env }, merchantId: string): Promise<void> {
  const [row] = await dbOf(c)
    .select({ id: merchants.id })
    .from(merchants)
    .where(eq(merchants.id, merchantId))
    .limit(1);
  if (!row) throw validationProblem([{ field: "merchant_id", message: `is not a merchant (${merchantId})` }]);
}

/** An agent token names an agent that exists (422 naming the field otherwise). */
async function agentExists(c: { env: Env }, agentId: string): Promise<void> {
  const [row] = await dbOf(c).select({ id: agents.id }).from(agents).where(eq(agents.id, agentId)).limit(1);
  if (!row) throw validationProblem([{ field: "agent_id", message: `is not an agent (${agentId})` }]);
}

const TokenParams = z.object({ tokenId: idParam("tokenId", "tok_8sKd0Lm2Pq4Rt6Vx9Yz1") });

const tag = ["API tokens"];

export const tokensRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/tokens",
      tags: tag,
      summary: "Create an API token (the secret is shown once)",
      ...scoped("admin"),
      request: { body: { required: true, content: json(TokenCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(CreatedTokenSchema) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const { name, scopes, agent_id: agentId, merchant_id: merchantId } = c.req.valid("json");
      if (agentId) await agentExists(c, agentId);
      if (merchantId) await merchantExists(c, merchantId);
      const secret = newTokenSecret();
      const row: TokenRow = {
        id: newId("tok"),
        name,
        scopes,
        tokenHash: await sha256Hex(secret),
        prefix: tokenPrefixOf(secret),
        createdAt: Date.now(),
        revokedAt: null,
        lastUsedAt: null,
        agentId: agentId ?? null,
        merchantId: merchantId ?? null,
      };
      await dbOf(c).insert(apiTokens).values(row);
      return c.json({ ...render(row), token: secret }, 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tokens",
      tags: tag,
      summary: "List API tokens, newest first (never their secrets)",
      ...scoped("admin"),
      request: { query: z.object({ ...pageQuery, revoked: BooleanQuery.optional() }) },
      responses: {
        200: { description: "A page of tokens", content: json(pageOf(TokenSchema, "ApiTokenPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filters: (SQL | undefined)[] = [
        q.revoked === undefined
          ? undefined
          : q.revoked
            ? isNotNull(apiTokens.revokedAt)
            : isNull(apiTokens.revokedAt),
        afterCursor(q.cursor, apiTokens.createdAt, apiTokens.id, "desc"),
      ];
      const rows = await dbOf(c)
        .select()
        .from(apiTokens)
        .where(and(...filters))
        .orderBy(desc(apiTokens.createdAt), desc(apiTokens.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.createdAt, r.id], render),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/tokens/{tokenId}",
      tags: tag,
      summary: "Get an API token (never its secret)",
      ...scoped("admin"),
      request: { params: TokenParams },
      responses: {
        200: { description: "The token", content: json(TokenSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { tokenId } = c.req.valid("param");
      const [row] = await dbOf(c).select().from(apiTokens).where(eq(apiTokens.id, tokenId)).limit(1);
      if (!row) throw notFoundProblem(`Token ${tokenId}`);
      return c.json(render(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/tokens/{tokenId}",
      tags: tag,
      summary: "Revoke an API token",
      ...scoped("admin"),
      request: { params: TokenParams },
      responses: { 204: { description: "Revoked (or already revoked)" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = dbOf(c);
      const { tokenId } = c.req.valid("param");
      const [row] = await db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(eq(apiTokens.id, tokenId))
        .limit(1);
      if (!row) throw notFoundProblem(`Token ${tokenId}`);
      // The first revocation time stands; revoking twice changes nothing.
      await db
        .update(apiTokens)
        .set({ revokedAt: Date.now() })
        .where(and(eq(apiTokens.id, tokenId), isNull(apiTokens.revokedAt)));
      return c.body(null, 204);
    },
  );
