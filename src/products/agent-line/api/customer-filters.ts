/**
 * The search shared by the customer list and its CSV export, so both select the same customers:
 * `q` a part of the name (case-insensitive, Nordic letters included), `number` normalised to E.164
 * then matched exactly against any of the customer's numbers, `code` hashed then matched exactly,
 * `status`. The code is hashed at once and never kept, logged or echoed.
 */
import { z } from "@hono/zod-openapi";
import { eq, sql, type SQL } from "drizzle-orm";
import { toE164 } from "../../../phone/e164";
import { agentLineEnv, codeHash } from "../agent-line-env";
import { customerNumbers, customers } from "../schema";
import { CUSTOMER_STATUSES } from "./customer-schemas";
import { checkPhone, DiallingCountry, EVEN_WITH_OTHER_ERRORS, PhoneText } from "./phone-input";

export const customerFilterFields = {
  q: z.string().trim().min(1).max(200).optional().openapi({ description: "Part of the name, any case" }),
  number: PhoneText.optional().openapi({ description: "One of the customer's numbers, any format" }),
  country: DiallingCountry,
  code: z
    .string()
    .regex(/^\d{4,12}$/, "must be 4 to 12 digits")
    .optional()
    .openapi({ description: "The customer's code (matched by its hash)" }),
  status: z.enum(CUSTOMER_STATUSES).optional(),
};

export const customerFilterQuery = <T extends z.ZodRawShape>(extra: T) =>
  z.object({ ...customerFilterFields, ...extra }).superRefine((q, ctx) => {
    const { number, country } = q as { number?: unknown; country?: unknown };
    checkPhone(ctx, ["number"], number, typeof country === "string" ? country : "SE");
  }, EVEN_WITH_OTHER_ERRORS);

export interface CustomerFilters {
  q?: string | undefined;
  number?: string | undefined;
  country: string;
  code?: string | undefined;
  status?: string | undefined;
}

// SQLite's lower() folds ASCII only: these capitals are folded by hand, on both sides alike.
const CAPITALS = "ÅÄÖÆØÜÉ";

/** The name search's folding in JS: ASCII and the letters above, exactly what foldedName does. */
export const foldName = (text: string): string =>
  text.replace(new RegExp(`[A-Z${CAPITALS}]`, "g"), (ch) => ch.toLowerCase());

function foldedName(): SQL {
  let expr: SQL = sql`${customers.name}`;
  for (const ch of CAPITALS) expr = sql`replace(${expr}, ${ch}, ${ch.toLowerCase()})`;
  return sql`lower(${expr})`;
}

export async function customerFilterSql(q: CustomerFilters, env: object): Promise<(SQL | undefined)[]> {
  const number = q.number === undefined ? undefined : (toE164(q.number, q.country) ?? q.number);
  return [
    q.q === undefined ? undefined : sql`instr(${foldedName()}, ${foldName(q.q)}) > 0`,
    number === undefined
      ? undefined
      : sql`exists (select 1 from ${customerNumbers} where ${customerNumbers.customerId} = ${customers.id} and ${customerNumbers.number} = ${number})`,
    q.code === undefined ? undefined : eq(customers.codeHash, await codeHash(agentLineEnv(env), q.code)),
    q.status === undefined ? undefined : sql`${customers.status} = ${q.status}`,
  ];
}
