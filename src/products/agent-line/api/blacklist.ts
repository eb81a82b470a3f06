/**
 * /v1/blacklist: numbers and customers refused service, each with a reason category and the
 * prompt the caller hears. Added, listed (lifted entries included, with who lifted them and when)
 * and lifted (blacklist-lift.ts). An entry for a customer is kept in their history too.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, isNotNull, isNull, type SQL } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../../api/paging";
import { ProblemError, problemResponses, validationProblem } from "../../../api/problem";
import { BooleanQuery, createdHeaders, jsonContent as json, locationOf } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { blacklist, customerChanges, customers } from "../schema";
import {
  BLACKLIST_TAG,
  BlacklistCreate,
  BlacklistEntrySchema,
  EntryParams,
  findEntry,
  historyValueOf,
  renderEntry,
  type BlacklistRow,
} from "./blacklist-schemas";
import { changeRows } from "./customer-changes";
import {
  checkPhone,
  DiallingCountry,
  EVEN_WITH_OTHER_ERRORS,
  normalisedPhone,
  PhoneText,
} from "./phone-input";
import { actorOf, registerId } from "./register-ids";

const conflict = (detail: string, field: string, message: string) =>
  new ProblemError(409, "Conflict", detail, "about:blank", { errors: [{ field, message }] });

async function refuseSecondEntry(db: Db, where: { number: string | null; customerId: string | null }) {
  const field = where.number !== null ? "number" : "customer_id";
  const match =
    where.number !== null ? eq(blacklist.number, where.number) : eq(blacklist.customerId, where.customerId!);
  const [active] = await db
    .select({ id: blacklist.id })
    .from(blacklist)
    .where(and(match, isNull(blacklist.liftedAt)))
    .limit(1);
  if (active)
    throw conflict(
      `Already blacklisted (entry ${active.id}); lift it first to change it.`,
      field,
      `is already blacklisted (entry ${active.id})`,
    );
}

export const blacklistRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/blacklist",
      tags: BLACKLIST_TAG,
      summary: "Blacklist a number or a customer",
      ...scoped("admin"),
      request: { body: { required: true, content: json(BlacklistCreate) } },
      responses: {
        201: { description: "Added", headers: createdHeaders, content: json(BlacklistEntrySchema) },
        ...problemResponses(401, 403, 409, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = dbOf(c);
      const number = body.number === undefined ? null : normalisedPhone(body.number, body.country, "number");
      const customerId = body.customer_id ?? null;
      if (customerId !== null) {
        const [customer] = await db
          .select({ id: customers.id })
          .from(customers)
          .where(eq(customers.id, customerId));
        if (!customer)
          throw validationProblem([{ field: "customer_id", message: "is not the id of a customer" }]);
      }
      await refuseSecondEntry(db, { number, customerId });
      const actor = actorOf(c.get("principal"));
      const row: BlacklistRow = {
        id: registerId("bl"),
        number,
        customerId,
        category: body.category,
        prompt: body.prompt,
        createdBy: actor,
        createdAt: Date.now(),
        liftedBy: null,
        liftedAt: null,
      };
      const change = { field: "blacklist", oldValue: null, newValue: historyValueOf(row) };
      await db.batch([
        db.insert(blacklist).values(row),
        ...(customerId === null
          ? []
          : [db.insert(customerChanges).values(changeRows(customerId, [change], actor, row.createdAt))]),
      ]);
      return c.json(renderEntry(row), 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/blacklist",
      tags: BLACKLIST_TAG,
      summary: "List blacklist entries, newest first (lifted ones too, unless active=true)",
      ...scoped(...READ_SCOPES),
      request: {
        query: z
          .object({
            ...pageQuery,
            active: BooleanQuery.optional(),
            number: PhoneText.optional(),
            country: DiallingCountry,
            customer_id: z.string().max(200).optional(),
          })
          .superRefine((q, ctx) => {
            const { number, country } = q as { number?: unknown; country?: unknown };
            checkPhone(ctx, ["number"], number, typeof country === "string" ? country : "SE");
          }, EVEN_WITH_OTHER_ERRORS),
      },
      responses: {
        200: {
          description: "A page of entries",
          content: json(pageOf(BlacklistEntrySchema, "BlacklistPage")),
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filters: (SQL | undefined)[] = [
        q.active === undefined
          ? undefined
          : q.active
            ? isNull(blacklist.liftedAt)
            : isNotNull(blacklist.liftedAt),
        q.number === undefined
          ? undefined
          : eq(blacklist.number, normalisedPhone(q.number, q.country, "number")),
        q.customer_id === undefined ? undefined : eq(blacklist.customerId, q.customer_id),
        afterCursor(q.cursor, blacklist.createdAt, blacklist.id, "desc"),
      ];
      const rows = await dbOf(c)
        .select()
        .from(blacklist)
        .where(and(...filters))
        .orderBy(desc(blacklist.createdAt), desc(blacklist.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.createdAt, r.id], renderEntry),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/blacklist/{entryId}",
      tags: BLACKLIST_TAG,
      summary: "Get a blacklist entry",
      ...scoped(...READ_SCOPES),
      request: { params: EntryParams },
      responses: {
        200: { description: "The entry", content: json(BlacklistEntrySchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(renderEntry(await findEntry(dbOf(c), c.req.valid("param").entryId)), 200),
  );
