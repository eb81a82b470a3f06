/**
 * /v1/customers/{id}/numbers: a customer's several phone numbers. Added in any format (read for
 * the customer's country, stored as E.164), one customer per number (409 when another has it),
 * removed by number (URL-encoded E.164, or national). Each add and removal is kept in the history.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import { createdHeaders, IsoTime, jsonContent as json, locationOf, toIso } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { customerChanges, customerNumbers, customers } from "../schema";
import { changeRows } from "./customer-changes";
import { conflictOfWrite, numberTaken } from "./customer-conflicts";
import { findCustomer } from "./customer-reads";
import { CUSTOMER_TAG, CustomerParams } from "./customer-schemas";
import { normalisedPhone, PhoneText } from "./phone-input";
import { actorOf } from "./register-ids";

const CustomerNumberSchema = z
  .object({
    number: z.string().openapi({ example: "+4681234567" }),
    customer_id: z.string(),
    created_at: IsoTime,
  })
  .openapi("CustomerNumber");

const NumberParams = CustomerParams.extend({
  number: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "number", in: "path" }, example: "%2B4681234567", description: "URL-encoded" }),
});

type NumberRow = typeof customerNumbers.$inferSelect;
const render = (row: NumberRow) => ({
  number: row.number,
  customer_id: row.customerId,
  created_at: toIso(row.createdAt),
});

async function ownerOf(db: Db, number: string): Promise<NumberRow | null> {
  const [row] = await db.select().from(customerNumbers).where(eq(customerNumbers.number, number)).limit(1);
  return row ?? null;
}

export const customerNumbersRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/customers/{customerId}/numbers",
      tags: CUSTOMER_TAG,
      summary: "Add a phone number to a customer",
      ...scoped("admin"),
      request: {
        params: CustomerParams,
        body: {
          required: true,
          content: json(z.object({ number: PhoneText }).strict().openapi("CustomerNumberAdd")),
        },
      },
      responses: {
        200: {
          description: "Already this customer's number; nothing changed",
          content: json(CustomerNumberSchema),
        },
        201: { description: "Added", headers: createdHeaders, content: json(CustomerNumberSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const customer = await findCustomer(db, c.req.valid("param").customerId);
      const number = normalisedPhone(c.req.valid("json").number, customer.country, "number");
      const owner = await ownerOf(db, number);
      if (owner?.customerId === customer.id) return c.json(render(owner), 200);
      if (owner) throw numberTaken([{ field: "number", number, owner: owner.customerId }]);
      const now = Date.now();
      const row = { number, customerId: customer.id, createdAt: now };
      const change = { field: "numbers", oldValue: null, newValue: number };
      try {
        await db.batch([
          db.insert(customerNumbers).values(row),
          db
            .insert(customerChanges)
            .values(changeRows(customer.id, [change], actorOf(c.get("principal")), now)),
          db.update(customers).set({ updatedAt: now }).where(eq(customers.id, customer.id)),
        ]);
      } catch (err) {
        throw conflictOfWrite(err, "number");
      }
      return c.json(render(row), 201, { location: locationOf(c, number) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers/{customerId}/numbers/{number}",
      tags: CUSTOMER_TAG,
      summary: "Get one of a customer's numbers",
      ...scoped(...READ_SCOPES),
      request: { params: NumberParams },
      responses: {
        200: { description: "The number", content: json(CustomerNumberSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const params = c.req.valid("param");
      const customer = await findCustomer(db, params.customerId);
      const owner = await ownerOf(db, normalisedPhone(params.number, customer.country, "number"));
      if (owner?.customerId !== customer.id)
        throw notFoundProblem(`Number ${params.number} of customer ${customer.id}`);
      return c.json(render(owner), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/customers/{customerId}/numbers/{number}",
      tags: CUSTOMER_TAG,
      summary: "Remove a number from a customer (kept in the history)",
      ...scoped("admin"),
      request: { params: NumberParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(401, 403, 404, 422) },
    }),
    async (c) => {
      const db = dbOf(c);
      const params = c.req.valid("param");
      const customer = await findCustomer(db, params.customerId);
      const number = normalisedPhone(params.number, customer.country, "number");
      const actor = actorOf(c.get("principal"));
      await db.transaction(async (tx) => {
        const removed = await tx
          .delete(customerNumbers)
          .where(and(eq(customerNumbers.number, number), eq(customerNumbers.customerId, customer.id)))
          .returning({ number: customerNumbers.number });
        if (removed.length === 0) throw notFoundProblem(`Number ${number} of customer ${customer.id}`);
        const now = Date.now();
        const change = { field: "numbers", oldValue: number, newValue: null };
        await tx.insert(customerChanges).values(changeRows(customer.id, [change], actor, now));
        await tx.update(customers).set({ updatedAt: now }).where(eq(customers.id, customer.id));
      });
      return c.body(null, 204);
    },
  );
