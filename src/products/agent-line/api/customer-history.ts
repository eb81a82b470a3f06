/**
 * GET /v1/customers/{id}/history: who changed what, when — one row per changed field, newest
 * first, from every write to the customer (create, changes, numbers, code, blacklist). The code
 * appears only as "(set)" or "(cleared)".
 */
import { createRoute, z } from "@hono/zod-openapi";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { pageOf, pageQuery } from "../../../api/paging";
import { problemResponses } from "../../../api/problem";
import { IsoTime, jsonContent as json, toIso } from "../../../api/schemas";
import { customerChanges } from "../schema";
import { findCustomer } from "./customer-reads";
import { newestFirstPage } from "./customer-page";
import { CUSTOMER_TAG, CustomerParams } from "./customer-schemas";

const ChangeSchema = z
  .object({
    id: z.string(),
    field: z.string().openapi({ example: "credit_limit" }),
    old_value: z.string().nullable().openapi({ example: "100000" }),
    new_value: z.string().nullable().openapi({ example: "150000" }),
    actor: z.string().openapi({ description: 'The API token that made the change, or "admin"' }),
    at: IsoTime,
  })
  .openapi("CustomerChange");

type ChangeRow = typeof customerChanges.$inferSelect;
const render = (row: ChangeRow) => ({
  id: row.id,
  field: row.field,
  old_value: row.oldValue,
  new_value: row.newValue,
  actor: row.actor,
  at: toIso(row.at),
});

export const customerHistoryRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/customers/{customerId}/history",
    tags: CUSTOMER_TAG,
    summary: "A customer's change history, newest first",
    ...scoped(...READ_SCOPES),
    request: { params: CustomerParams, query: z.object(pageQuery) },
    responses: {
      200: { description: "A page of changes", content: json(pageOf(ChangeSchema, "CustomerChangePage")) },
      ...problemResponses(401, 403, 404, 422),
    },
  }),
  async (c) => {
    const db = dbOf(c);
    const customer = await findCustomer(db, c.req.valid("param").customerId);
    return c.json(await newestFirstPage(db, customerChanges, customer.id, c.req.valid("query"), render), 200);
  },
);
