/**
 * The fence around a merchant's token: it reaches only its merchant's lines, and what hangs off
 * them (agents, calls, advice payments, secure payments, voicemails, statements). Two halves:
 * - `merchantFence`, route middleware that `scoped()` adds to every route open to scope merchant:
 *   each id in the path is checked before validation or the handler runs; another merchant's id
 *   (or an unknown one, or a path parameter the fence does not know) answers 404, so ids do not leak.
 * - SQL conditions the list handlers AND into their queries (`…OfMerchant`).
 * A call belongs to the merchant its money went to (calls.merchant_id, fixed at call time), or,
 * when it paid no merchant, to its line's merchant. Admin, agent and readonly tokens pass untouched.
 */
import { eq, sql, type SQL } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import type { LiveFrame } from "../../durable-objects/live-view";
import type { Db } from "../db/client";
import { calls, lines, merchants, payments, voicemails } from "../db/schema";
import { securePayments } from "../secure-payments/schema";
import { dbOf, type ApiEnv, type Principal } from "./context";
import { ProblemError } from "./problem";

/** The merchant a token is fenced to; null = not fenced (admin, agent, readonly). */
export const merchantOf = (p: Principal): string | null =>
  p.scopes.includes("merchant") ? (p.merchantId ?? "") : null;

/** Path parameters checked elsewhere: the handler looks them up under an id the fence checked. */
const CHECKED_BY_HANDLER = new Set(["agentId", "requestId"]);

type OwnerLookup = (c: Context<ApiEnv>, db: Db, id: string) => Promise<string | null | undefined>;

const merchantOfLine = async (db: Db, lineId: string) =>
  (await db.select({ m: lines.merchantId }).from(lines).where(eq(lines.id, lineId)).limit(1))[0]?.m;

const OWNERS: Record<string, OwnerLookup> = {
  lineId: (_c, db, id) => merchantOfLine(db, id),
  merchantId: async (_c, db, id) =>
    (await db.select({ id: merchants.id }).from(merchants).where(eq(merchants.id, id)).limit(1))[0]?.id,
  voicemailId: async (_c, db, id) => {
    const [row] = await db
      .select({ line: voicemails.lineId })
      .from(voicemails)
      .where(eq(voicemails.id, id))
      .limit(1);
    return row ? merchantOfLine(db, row.line) : undefined;
  },
  paymentId: async (_c, db, id) => {
    const [row] = await db
      .select({ line: securePayments.lineId })
      .from(securePayments)
      .where(eq(securePayments.id, id))
      .limit(1);
    return row ? merchantOfLine(db, row.line) : undefined;
  },
  // A finished call by its record; a live one (no record yet) by the line its object reports.
  callId: async (c, db, id) => {
    const [row] = await db
      .select({ merchant: calls.merchantId, line: calls.lineId })
      .from(calls)
      .where(eq(calls.id, id))
      .limit(1);
    if (row) return row.merchant ?? merchantOfLine(db, row.line);
    const frame = (await c.env.CALL_SESSION.getByName(id).liveView()) as LiveFrame | null;
    return frame ? merchantOfLine(db, frame.line.id) : undefined;
  },
};

const notFound = (name: string, id: string) =>
  new ProblemError(404, "Not Found", `No ${name.replace(/Id$/, "")} ${id}.`);

/** Route middleware: a merchant's token reaches its own merchant's ids only (404 otherwise). */
export const merchantFence: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const merchant = merchantOf(c.get("principal"));
  if (merchant !== null) {
    const db = dbOf(c);
    const params: Record<string, string> = c.req.param();
    for (const [name, id] of Object.entries(params)) {
      if (CHECKED_BY_HANDLER.has(name)) continue;
      const owner = OWNERS[name];
      // An id the fence cannot place is not the merchant's: a new route must teach it first.
      if (!owner || (await owner(c, db, id)) !== merchant) throw notFound(name, id);
    }
  }
  await next();
};

// List filters: the same ownership rules as the fence, as SQL a list ANDs into its query.
export const linesOfMerchant = (m: string): SQL => eq(lines.merchantId, m);

const lineIdsOf = (m: string) => sql`(select ${lines.id} from ${lines} where ${lines.merchantId} = ${m})`;

export const callsOfMerchant = (m: string): SQL =>
  sql`coalesce(${calls.merchantId}, (select ${lines.merchantId} from ${lines} where ${lines.id} = ${calls.lineId})) = ${m}`;

export const voicemailsOfMerchant = (m: string): SQL => sql`${voicemails.lineId} in ${lineIdsOf(m)}`;

export const paymentsOfMerchant = (m: string): SQL =>
  sql`${payments.callId} in (select ${calls.id} from ${calls} where ${callsOfMerchant(m)})`;

export const securePaymentsOfMerchant = (m: string): SQL => sql`${securePayments.lineId} in ${lineIdsOf(m)}`;

/** A filter for a list: the merchant's condition for a fenced token, nothing for the others. */
export function fenceOf(p: Principal, condition: (m: string) => SQL): SQL | undefined {
  const m = merchantOf(p);
  return m === null ? undefined : condition(m);
}
