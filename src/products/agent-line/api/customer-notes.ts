/**
 * /v1/customers/{id}/notes: free-text notes about a customer ("a field where you can make notes
 * about each customer"), each timestamped with its author (the token that wrote it). Notes are
 * added and read, never edited: they are a log, like the history.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { pageOf, pageQuery } from "../../../api/paging";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import {
  createdHeaders,
  idParam,
  IsoTime,
  jsonContent as json,
  locationOf,
  toIso,
} from "../../../api/schemas";
import { customerNotes } from "../schema";
import { findCustomer } from "./customer-reads";
import { newestFirstPage } from "./customer-page";
import { CUSTOMER_TAG, CustomerParams } from "./customer-schemas";
import { actorOf, registerId } from "./register-ids";

const NoteSchema = z
  .object({
    id: z.string().openapi({ example: "nt_2bT8s0QbXk2mT7aLzP1c" }),
    customer_id: z.string(),
    text: z.string(),
    author: z.string().openapi({ description: 'The API token that wrote it, or "admin"' }),
    created_at: IsoTime,
  })
  .openapi("CustomerNote");

type NoteRow = typeof customerNotes.$inferSelect;
const render = (row: NoteRow) => ({
  id: row.id,
  customer_id: row.customerId,
  text: row.text,
  author: row.author,
  created_at: toIso(row.at),
});

export const customerNotesRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/customers/{customerId}/notes",
      tags: CUSTOMER_TAG,
      summary: "Add a note about a customer",
      ...scoped("admin"),
      request: {
        params: CustomerParams,
        body: {
          required: true,
          content: json(
            z
              .object({ text: z.string().trim().min(1).max(4000) })
              .strict()
              .openapi("CustomerNoteCreate"),
          ),
        },
      },
      responses: {
        201: { description: "Added", headers: createdHeaders, content: json(NoteSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const customer = await findCustomer(db, c.req.valid("param").customerId);
      const row: NoteRow = {
        id: registerId("nt"),
        customerId: customer.id,
        text: c.req.valid("json").text,
        author: actorOf(c.get("principal")),
        at: Date.now(),
      };
      await db.insert(customerNotes).values(row);
      return c.json(render(row), 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers/{customerId}/notes",
      tags: CUSTOMER_TAG,
      summary: "A customer's notes, newest first",
      ...scoped(...READ_SCOPES),
      request: { params: CustomerParams, query: z.object(pageQuery) },
      responses: {
        200: { description: "A page of notes", content: json(pageOf(NoteSchema, "CustomerNotePage")) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const customer = await findCustomer(db, c.req.valid("param").customerId);
      return c.json(await newestFirstPage(db, customerNotes, customer.id, c.req.valid("query"), render), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/customers/{customerId}/notes/{noteId}",
      tags: CUSTOMER_TAG,
      summary: "Get a note",
      ...scoped(...READ_SCOPES),
      request: { params: CustomerParams.extend({ noteId: idParam("noteId", "nt_2bT8s0QbXk2mT7aLzP1c") }) },
      responses: {
        200: { description: "The note", content: json(NoteSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { customerId, noteId } = c.req.valid("param");
      const [row] = await dbOf(c)
        .select()
        .from(customerNotes)
        .where(and(eq(customerNotes.id, noteId), eq(customerNotes.customerId, customerId)))
        .limit(1);
      if (!row) throw notFoundProblem(`Note ${noteId}`);
      return c.json(render(row), 200);
    },
  );
