/**
 * POST /v1/blacklist/{id}/lift: ends an entry's effect, once. The entry stays listed with who
 * lifted it and when; lifting it again is a 409 that says by whom it was lifted. A customer's
 * entry being lifted is written into the customer's history in the same transaction.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, eq, isNull } from "drizzle-orm";
import { scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { ProblemError, problemResponses } from "../../../api/problem";
import { jsonContent as json } from "../../../api/schemas";
import { blacklist, customerChanges } from "../schema";
import {
  BLACKLIST_TAG,
  BlacklistEntrySchema,
  EntryParams,
  findEntry,
  historyValueOf,
  renderEntry,
} from "./blacklist-schemas";
import { changeRows } from "./customer-changes";
import { actorOf } from "./register-ids";

export const blacklistLiftRouter = createApiRouter().openapi(
  createRoute({
    method: "post",
    path: "/blacklist/{entryId}/lift",
    tags: BLACKLIST_TAG,
    summary: "Lift a blacklist entry (it stays listed, with who lifted it and when)",
    ...scoped("admin"),
    request: { params: EntryParams },
    responses: {
      200: { description: "The lifted entry", content: json(BlacklistEntrySchema) },
      ...problemResponses(401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { entryId } = c.req.valid("param");
    const actor = actorOf(c.get("principal"));
    const lifted = await dbOf(c).transaction(async (tx) => {
      const entry = await findEntry(tx, entryId);
      const now = Date.now();
      const [row] = await tx
        .update(blacklist)
        .set({ liftedBy: actor, liftedAt: now })
        .where(and(eq(blacklist.id, entryId), isNull(blacklist.liftedAt)))
        .returning();
      if (!row)
        throw new ProblemError(
          409,
          "Conflict",
          `Entry ${entryId} was lifted already, by ${entry.liftedBy ?? "someone"} at ${new Date(entry.liftedAt ?? now).toISOString()}.`,
        );
      if (row.customerId !== null) {
        const change = { field: "blacklist", oldValue: historyValueOf(row), newValue: "(lifted)" };
        await tx.insert(customerChanges).values(changeRows(row.customerId, [change], actor, now));
      }
      return row;
    });
    return c.json(renderEntry(lifted), 200);
  },
);
