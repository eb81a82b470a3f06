/**
 * PATCH /v1/customers/{id} (a JSON merge patch: sent fields replace, null removes) and DELETE,
 * which closes the customer (status closed) and keeps the row, its numbers and its history. Both
 * read, change and write the history in one transaction, so the old values recorded are the ones
 * replaced, even when two admins edit at once.
 */
import { createRoute } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { validationProblem, problemResponses } from "../../../api/problem";
import { jsonContent as json } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { agentLineEnv, codeHash } from "../agent-line-env";
import { customerChanges, customers } from "../schema";
import { changeRows, changesBetween, type CustomerRow } from "./customer-changes";
import { conflictOfWrite } from "./customer-conflicts";
import { customerJson, findCustomer } from "./customer-reads";
import { checkReferences } from "./customer-references";
import {
  CUSTOMER_TAG,
  CustomerParams,
  CustomerSchema,
  CustomerUpdate,
  type CustomerPatch,
} from "./customer-schemas";
import { actorOf } from "./register-ids";

const pick = <T>(sent: T | undefined, stored: T): T => (sent === undefined ? stored : sent);

async function patched(row: CustomerRow, body: CustomerPatch, env: object): Promise<CustomerRow> {
  const code = body.customer_code;
  return {
    ...row,
    name: pick(body.name, row.name),
    street: pick(body.street, row.street),
    postalCode: pick(body.postal_code, row.postalCode),
    city: pick(body.city, row.city),
    country: pick(body.country, row.country),
    email: pick(body.email, row.email),
    status: pick(body.status, row.status),
    creditLimit: pick(body.credit_limit, row.creditLimit),
    priceListId: pick(body.price_list_id, row.priceListId),
    discountBp: pick(body.discount_bp, row.discountBp),
    pricePerMinute: pick(body.price_per_minute, row.pricePerMinute),
    lineId: pick(body.line_id, row.lineId),
    codeHash:
      code === undefined ? row.codeHash : code === null ? null : await codeHash(agentLineEnv(env), code),
  };
}

/** Applies `change` to the stored customer with its history rows, in one transaction. */
async function updateCustomer(
  db: Db,
  customerId: string,
  actor: string,
  change: (row: CustomerRow) => Promise<CustomerRow>,
): Promise<void> {
  try {
    await db.transaction(async (tx) => {
      const row = await findCustomer(tx, customerId);
      const next = await change(row);
      const changes = changesBetween(row, next);
      if (changes.length === 0) return;
      const now = Math.max(Date.now(), row.updatedAt);
      const { id: _id, createdAt: _created, ...values } = next;
      await tx
        .update(customers)
        .set({ ...values, updatedAt: now })
        .where(eq(customers.id, customerId));
      await tx.insert(customerChanges).values(changeRows(customerId, changes, actor, now));
    });
  } catch (err) {
    throw conflictOfWrite(err, "numbers");
  }
}

export const customerUpdateRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "patch",
      path: "/customers/{customerId}",
      tags: CUSTOMER_TAG,
      summary: "Change a customer (merge patch; each changed field is kept in its history)",
      ...scoped("admin"),
      request: {
        params: CustomerParams,
        body: {
          required: true,
          description: "Only the fields to change (RFC 7396): null removes an optional field",
          content: { ...json(CustomerUpdate), "application/merge-patch+json": { schema: CustomerUpdate } },
        },
      },
      responses: {
        200: { description: "The updated customer", content: json(CustomerSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const { customerId } = c.req.valid("param");
      const body = c.req.valid("json");
      await checkReferences(db, { priceListId: body.price_list_id, lineId: body.line_id });
      await updateCustomer(db, customerId, actorOf(c.get("principal")), async (row) => {
        const next = await patched(row, body, c.env);
        if (next.discountBp > 0 && next.pricePerMinute !== null)
          throw validationProblem([
            body.price_per_minute === undefined
              ? {
                  field: "discount_bp",
                  message:
                    "cannot be combined with the customer's price_per_minute; send price_per_minute: null too",
                }
              : {
                  field: "price_per_minute",
                  message: "cannot be combined with a discount; send discount_bp: 0 too",
                },
          ]);
        return next;
      });
      return c.json(await customerJson(db, customerId), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/customers/{customerId}",
      tags: CUSTOMER_TAG,
      summary: "Close a customer (status closed; the record, numbers and history stay)",
      ...scoped("admin"),
      request: { params: CustomerParams },
      responses: { 204: { description: "Closed" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { customerId } = c.req.valid("param");
      await updateCustomer(dbOf(c), customerId, actorOf(c.get("principal")), (row) =>
        Promise.resolve({ ...row, status: "closed" as const }),
      );
      return c.body(null, 204);
    },
  );
