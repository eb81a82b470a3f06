/**
 * Bearer-token authentication and scope checks for /api/v1. Secrets are never stored: a request's
 * token is hashed (SHA-256) and looked up in api_tokens; the bootstrap ADMIN_TOKEN from config is
 * compared in constant time (unless ADMIN_TOKEN_DISABLED switched it off). 401 = who are you
 * (with WWW-Authenticate), 403 = not allowed to.
 * Scope rules: readonly reads, agent reads and changes agent status, admin does everything, merchant
 * reads and changes its own merchant's business only (routes opt in; src/api/merchant-scope.ts).
 * Failed token checks are counted per client (AuthThrottle); past the limit the client gets 429.
 */
import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { BEARER_TOKEN_PATTERN, loadConfig } from "../config";
import { apiTokens } from "../db/schema";
import { clientKeyOf } from "./client-key";
import { dbOf, type ApiEnv, type Principal, type Scope } from "./context";
import { merchantFence } from "./merchant-scope";
import { ProblemError } from "./problem";

/** last_used_at is a hint for admins, so one write a minute per token is plenty. */
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthorized = (detail: string) => new ProblemError(401, "Unauthorized", detail);

export const authenticate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  // A client that keeps failing is stopped here, before its token costs a database lookup.
  const throttle = c.env.AUTH_THROTTLE.getByName(clientKeyOf(c.req.raw.headers));
  const verdict = await throttle.check(Date.now());
  if (!verdict.allowed) throw tooManyFailures(verdict.retryAfterSec);
  const header = c.req.header("authorization") ?? bearerOfWebSocket(c.req.header("sec-websocket-protocol"));
  // Not counted as a failure: no credential was tried (a browser or a client not yet set up).
  if (!header) throw unauthorized("Send an API token as 'Authorization: Bearer <token>'.");
  let principal: Principal;
  try {
    principal = await principalFromHeader(c, header);
  } catch (err) {
    if (err instanceof ProblemError && err.status === 401) await throttle.recordFailure(Date.now());
    throw err;
  }
  c.set("principal", principal);
  await next();
};

/** The subprotocol a browser's live-stream WebSocket asks for (and the one the server picks). */
export const LIVE_PROTOCOL = "meterline.live";
const BEARER_PROTOCOL_PREFIX = "meterline.bearer.";

/**
 * A browser cannot set headers on a WebSocket, so the console sends its token as a second
 * subprotocol, `meterline.bearer.<token>` (never in the URL, which logs keep). Read as the same
 * Bearer header, checked and throttled the same way.
 */
export function bearerOfWebSocket(protocols: string | undefined): string | undefined {
  const token = protocols
    ?.split(",")
    .map((p) => p.trim())
    .find((p) => p.startsWith(BEARER_PROTOCOL_PREFIX))
    ?.slice(BEARER_PROTOCOL_PREFIX.length);
  return token ? `Bearer ${token}` : undefined;
}

function tooManyFailures(retryAfterSec: number): ProblemError {
  return new ProblemError(
    429,
    "Too Many Requests",
    `Too many requests with a wrong token from this address; try again in ${retryAfterSec} s.`,
    "about:blank",
    {},
    { "retry-after": String(retryAfterSec) },
  );
}

async function principalFromHeader(c: Context<ApiEnv>, header: string): Promise<Principal> {
  const match = /^Bearer +(\S+)$/i.exec(header.trim());
  // The same token grammar config enforces on ADMIN_TOKEN (RFC 6750 b64token), kept in one place.
  if (!match?.[1] || !BEARER_TOKEN_PATTERN.test(match[1]))
    throw unauthorized("The Authorization header must be 'Bearer <token>'.");
  return principalFor(c, match[1]);
}

async function principalFor(c: Context<ApiEnv>, secret: string): Promise<Principal> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(secret)));
  if (await isBootstrapToken(c.env, digest)) return { tokenId: null, scopes: ["admin"] };
  const hash = [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
  const db = dbOf(c);
  const [row] = await db
    .select({
      id: apiTokens.id,
      scopes: apiTokens.scopes,
      agentId: apiTokens.agentId,
      merchantId: apiTokens.merchantId,
      revokedAt: apiTokens.revokedAt,
      lastUsedAt: apiTokens.lastUsedAt,
    })
    .from(apiTokens)
    .where(eq(apiTokens.tokenHash, hash))
    .limit(1);
  if (!row || row.revokedAt !== null) throw unauthorized("The token is unknown or has been revoked.");
  const now = Date.now();
  if (row.lastUsedAt === null || now - row.lastUsedAt >= LAST_USED_RESOLUTION_MS) {
    const write = db
      .update(apiTokens)
      .set({ lastUsedAt: now })
      .where(eq(apiTokens.id, row.id))
      .then(() => undefined)
      .catch((err: unknown) =>
        console.error(
          JSON.stringify({
            level: "warn",
            msg: "token_last_used_write_failed",
            error: String(err).slice(0, 200),
          }),
        ),
      );
    runInBackground(c, write);
  }
  return { tokenId: row.id, scopes: row.scopes, agentId: row.agentId, merchantId: row.merchantId };
}

async function isBootstrapToken(env: Env, digest: Uint8Array): Promise<boolean> {
  const admin = loadConfig(env).ADMIN_TOKEN;
  if (admin === null) return false; // ADMIN_TOKEN_DISABLED: only scoped tokens sign in
  const adminDigest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(admin));
  // Equal-length digests, so timingSafeEqual never throws and leaks nothing about the token.
  return crypto.subtle.timingSafeEqual(digest, adminDigest);
}

function runInBackground(c: Context, work: Promise<void>): void {
  let ctx: { waitUntil(work: Promise<unknown>): void } | undefined;
  try {
    ctx = c.executionCtx;
  } catch {
    ctx = undefined; // app.fetch(req, env) without an ExecutionContext (tests): nothing to hand it to
  }
  if (ctx) ctx.waitUntil(work);
}

/** Route middleware: passes when the token holds any of the given scopes. */
export function requireScope(...allowed: Scope[]): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const principal = c.get("principal") as Principal | undefined;
    if (!principal) throw unauthorized("Send an API token as 'Authorization: Bearer <token>'.");
    if (!principal.scopes.some((s) => allowed.includes(s))) {
      throw new ProblemError(403, "Forbidden", `This needs a token with scope ${allowed.join(" or ")}.`);
    }
    await next();
  };
}

export const hasScope = (principal: Principal, scope: Scope): boolean => principal.scopes.includes(scope);

/**
 * Spread into createRoute: enforces the scopes and documents them in the OpenAPI operation
 * (3.1 allows role names in a non-OAuth security requirement). A route open to scope merchant
 * also gets the merchant fence, which checks every id in its path before the handler runs.
 */
export function scoped(...allowed: Scope[]) {
  const middleware = allowed.includes("merchant")
    ? [requireScope(...allowed), merchantFence]
    : [requireScope(...allowed)];
  return { middleware, security: [{ bearerAuth: allowed }] };
}

export const READ_SCOPES: Scope[] = ["admin", "agent", "readonly"];
/** Reads a merchant's token may also make: its own merchant's records (the fence and lists narrow them). */
export const MERCHANT_READ_SCOPES: Scope[] = [...READ_SCOPES, "merchant"];

/** Sees every agent's records: admin and readonly; a merchant's token too, within its fence. */
export const seesEveryAgent = (p: Principal): boolean =>
  hasScope(p, "admin") || hasScope(p, "readonly") || hasScope(p, "merchant");
