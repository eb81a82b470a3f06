/**
 * /v1/lines: the numbers we answer, each with a product and its config (validated per product).
 * PATCH merges a partial config into the stored one (JSON Merge Patch) and validates the result.
 * DELETE only deactivates (calls and reports keep pointing at the line); the number stays taken.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { fenceOf, linesOfMerchant, merchantOf } from "../../api/merchant-scope";
import { createApiRouter, dbOf } from "../../api/context";
import { newId } from "../../api/ids";
import { checkLineConfig, PRODUCTS } from "../../api/line-config";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { ProblemError, problemResponses, validationHook, validationProblem } from "../../api/problem";
import { BooleanQuery, E164, jsonContent as json, createdHeaders, locationOf } from "../../api/schemas";
import { isUniqueViolation } from "../../api/sql-errors";
import { lines } from "../../db/schema";
import {
  findLine,
  LineCreate,
  LineParams,
  LineSchema,
  LineUpdate,
  renderLine,
  type LineRow,
} from "./line-schemas";
import { nextConfig, refuseLineUpdate } from "./line-update";
import { requireChargeableMerchant } from "./merchant-schemas";

const duplicateNumber = (number: string) =>
  new ProblemError(
    409,
    "Conflict",
    `Another line already uses ${number}.`,
    "urn:meterline:problem:duplicate-number",
  );

const tag = ["Lines"];
export const linesRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/lines",
      tags: tag,
      summary: "Create a line",
      ...scoped("admin"),
      request: { body: { required: true, content: json(LineCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(LineSchema) },
        ...problemResponses(401, 403, 409, 422),
      },
    }),
    async (c) => {
      const { merchant_id: merchantId = null, ...body } = c.req.valid("json");
      const check = checkLineConfig(body.product, body.config);
      if (!check.ok) throw validationProblem(check.errors);
      const db = dbOf(c);
      if (merchantId !== null) await requireChargeableMerchant(db, merchantId);
      const now = Date.now();
      const values = {
        id: newId("ln"),
        ...body,
        merchantId,
        config: check.config,
        active: true,
        createdAt: now,
        updatedAt: now,
      };
      try {
        await db.insert(lines).values(values);
      } catch (err) {
        if (isUniqueViolation(err, "lines.number")) throw duplicateNumber(body.number);
        throw err;
      }
      return c.json(renderLine(values), 201, { location: locationOf(c, values.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lines",
      tags: tag,
      summary: "List lines, newest first (a merchant's token: its own)",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: {
        query: z.object({
          ...pageQuery,
          product: z.enum(PRODUCTS).optional(),
          active: BooleanQuery.optional(),
          number: E164.optional(),
          merchant_id: z.string().max(64).optional().openapi({ description: "Only this merchant's lines" }),
        }),
      },
      responses: {
        200: { description: "A page of lines", content: json(pageOf(LineSchema, "LinePage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filters: (SQL | undefined)[] = [
        q.product === undefined ? undefined : eq(lines.product, q.product),
        q.active === undefined ? undefined : eq(lines.active, q.active),
        q.number === undefined ? undefined : eq(lines.number, q.number),
        q.merchant_id === undefined ? undefined : eq(lines.merchantId, q.merchant_id),
        fenceOf(c.get("principal"), linesOfMerchant),
        afterCursor(q.cursor, lines.createdAt, lines.id, "desc"),
      ];
      const rows = await dbOf(c)
        .select()
        .from(lines)
        .where(and(...filters))
        .orderBy(desc(lines.createdAt), desc(lines.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.createdAt, r.id], renderLine),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lines/{lineId}",
      tags: tag,
      summary: "Get a line",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: LineParams },
      responses: {
        200: { description: "The line", content: json(LineSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => c.json(renderLine(await findLine(dbOf(c), c.req.valid("param").lineId)), 200),
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/lines/{lineId}",
      tags: tag,
      summary: "Update a line (partial; config is merged, then validated; a merchant's token: its own lines)",
      ...scoped("admin", "merchant"),
      request: {
        params: LineParams,
        body: {
          required: true,
          description:
            "Only the fields to change; `config` is a JSON Merge Patch (RFC 7396) of the stored config",
          content: { ...json(LineUpdate), "application/merge-patch+json": { schema: LineUpdate } },
        },
      },
      responses: {
        200: { description: "The updated line", content: json(LineSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const line = await findLine(db, c.req.valid("param").lineId);
      const { merchant_id: merchantId, ...body } = c.req.valid("json");
      // Who is paid for a line is the platform's decision: a merchant cannot give its line away.
      if (merchantId !== undefined && merchantOf(c.get("principal")) !== null)
        throw new ProblemError(403, "Forbidden", "A merchant's token cannot change a line's merchant_id.");
      const changes: Partial<LineRow> = { ...body, updatedAt: Date.now() };
      if (merchantId !== undefined) {
        if (merchantId !== null) await requireChargeableMerchant(db, merchantId);
        changes.merchantId = merchantId;
      }
      const next = nextConfig(line, body);
      if (next) {
        const check = checkLineConfig(next.product, next.config);
        if (!check.ok) throw validationProblem(check.errors);
        changes.config = check.config;
      }
      try {
        await db.update(lines).set(changes).where(eq(lines.id, line.id));
      } catch (err) {
        if (body.number && isUniqueViolation(err, "lines.number")) throw duplicateNumber(body.number);
        throw err;
      }
      return c.json(renderLine({ ...line, ...changes }), 200);
    },
    (result, c) => {
      if (result.success || result.target !== "json") {
        validationHook(result);
        return undefined;
      }
      // zod-openapi hands the raw body to the hook along with the failure; its types leave it out.
      return refuseLineUpdate(result.error, (result as { data?: unknown }).data, c);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/lines/{lineId}",
      tags: tag,
      summary: "Deactivate a line (it stops answering; its history stays)",
      ...scoped("admin"),
      request: { params: LineParams },
      responses: { 204: { description: "Deactivated" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = dbOf(c);
      const line = await findLine(db, c.req.valid("param").lineId);
      await db.update(lines).set({ active: false, updatedAt: Date.now() }).where(eq(lines.id, line.id));
      return c.body(null, 204);
    },
  );
