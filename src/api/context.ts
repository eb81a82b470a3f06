/**
 * What every API router shares: the Hono env type (bindings + the authenticated principal),
 * a router factory wired to the problem-JSON validation hook, and the per-request database.
 * Routers built elsewhere must come from createApiRouter so a bad request is always a 422 problem.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { loadConfig } from "../config";
import { createDb, type Db } from "../db/client";
import { validationHook } from "./problem";

export type Scope = "admin" | "agent" | "readonly" | "merchant";

export interface Principal {
  /** null for the bootstrap ADMIN_TOKEN, which has no row in api_tokens. */
  tokenId: string | null;
  scopes: readonly Scope[];
  /** The agent record an agent-scoped token belongs to (it sees and acts on that agent's call only). */
  agentId?: string | null;
  /** The merchant a merchant-scoped token belongs to (src/api/merchant-scope.ts fences it in). */
  merchantId?: string | null;
}

export interface ApiEnv {
  Bindings: Env;
  Variables: { principal: Principal };
}

export function createApiRouter(): OpenAPIHono<ApiEnv> {
  return new OpenAPIHono<ApiEnv>({ defaultHook: validationHook });
}

/** Takes any context (or anything with the Worker env), so every router's Context fits. */
export function dbOf(c: { env: Env }): Db {
  const config = loadConfig(c.env);
  return createDb(config.TURSO_DATABASE_URL, config.TURSO_AUTH_TOKEN);
}
