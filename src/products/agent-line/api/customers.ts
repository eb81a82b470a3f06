/**
 * /v1/customers: the agent line's customer register. Create (with numbers and a write-only code),
 * list with search (name, number, code, status), read one. Every create writes its history: one row
 * per field it set. Changes and closing are in customer-update.ts.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, desc, type SQL } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../../api/paging";
import { problemResponses } from "../../../api/problem";
import { createdHeaders, jsonContent as json, locationOf } from "../../../api/schemas";
import { agentLineEnv, codeHash } from "../agent-line-env";
import { customerChanges, customerNumbers, customers } from "../schema";
import { changeRows, changesBetween, type CustomerRow } from "./customer-changes";
import { conflictOfWrite, refuseTakenNumbers } from "./customer-conflicts";
import { customerFilterQuery, customerFilterSql } from "./customer-filters";
import { customerJson, renderCustomer, renderCustomers } from "./customer-reads";
import { basicPriceListId, checkReferences, DEFAULT_CREDIT_LIMIT } from "./customer-references";
import {
  CUSTOMER_TAG,
  CustomerCreate,
  CustomerParams,
  CustomerSchema,
  type CustomerCreateBody,
} from "./customer-schemas";
import { normalisedPhone } from "./phone-input";
import { actorOf, registerId } from "./register-ids";

async function newCustomerRow(c: { env: Env }, body: CustomerCreateBody, now: number): Promise<CustomerRow> {
  const db = dbOf(c);
  const refs = await checkReferences(db, { priceListId: body.price_list_id, lineId: body.line_id });
  return {
    id: registerId("cu"),
    name: body.name,
    street: body.street ?? null,
    postalCode: body.postal_code ?? null,
    city: body.city ?? null,
    country: body.country,
    email: body.email ?? null,
    status: "active",
    creditLimit: body.credit_limit ?? refs.startingCredit ?? DEFAULT_CREDIT_LIMIT,
    openBalance: 0,
    priceListId: body.price_list_id === undefined ? await basicPriceListId(db) : body.price_list_id,
    discountBp: body.discount_bp,
    pricePerMinute: body.price_per_minute ?? null,
    codeHash: body.customer_code ? await codeHash(agentLineEnv(c.env), body.customer_code) : null,
    lineId: body.line_id ?? null,
    paidInvoices: 0,
    createdAt: now,
    updatedAt: now,
  };
}

export const customersRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/customers",
      tags: CUSTOMER_TAG,
      summary: "Register a customer",
      ...scoped("admin"),
      request: { body: { required: true, content: json(CustomerCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(CustomerSchema) },
        ...problemResponses(401, 403, 409, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = dbOf(c);
      const numbers = body.numbers.map((n, i) => normalisedPhone(n, body.country, `numbers.${i}`));
      const now = Date.now();
      const row = await newCustomerRow(c, body, now);
      await refuseTakenNumbers(db, numbers, null, (i) => `numbers.${i}`);
      const history = [
        ...changesBetween(null, row),
        ...numbers.map((n) => ({ field: "numbers", oldValue: null, newValue: n })),
      ];
      try {
        await db.batch([
          db.insert(customers).values(row),
          db.insert(customerChanges).values(changeRows(row.id, history, actorOf(c.get("principal")), now)),
          ...numbers.map((number) =>
            db.insert(customerNumbers).values({ number, customerId: row.id, createdAt: now }),
          ),
        ]);
      } catch (err) {
        throw conflictOfWrite(err, "numbers");
      }
      return c.json(renderCustomer(row, numbers, 0), 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers",
      tags: CUSTOMER_TAG,
      summary: "List customers, newest first; search by name, number, code or status",
      ...scoped(...READ_SCOPES),
      request: { query: customerFilterQuery(pageQuery) },
      responses: {
        200: { description: "A page of customers", content: json(pageOf(CustomerSchema, "CustomerPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const db = dbOf(c);
      const filters: (SQL | undefined)[] = [
        ...(await customerFilterSql(q, c.env)),
        afterCursor(q.cursor, customers.createdAt, customers.id, "desc"),
      ];
      const rows = await db
        .select()
        .from(customers)
        .where(and(...filters))
        .orderBy(desc(customers.createdAt), desc(customers.id))
        .limit(q.limit + 1);
      const page = toPage(
        rows,
        q.limit,
        (r) => [r.createdAt, r.id],
        (r) => r,
      );
      return c.json({ data: await renderCustomers(db, page.data), next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers/{customerId}",
      tags: CUSTOMER_TAG,
      summary: "Get a customer",
      ...scoped(...READ_SCOPES),
      request: { params: CustomerParams },
      responses: {
        200: { description: "The customer", content: json(CustomerSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(await customerJson(dbOf(c), c.req.valid("param").customerId), 200),
  );
