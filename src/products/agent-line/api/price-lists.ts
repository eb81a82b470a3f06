/**
 * /v1/price-lists: the lists customers are priced by. At most one is basic (what new customers
 * get): making a list basic unsets the old one in the same batch, so there is never a moment with
 * two. Articles are in price-list-articles.ts.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, ne, type SQL } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../../api/paging";
import { problemResponses } from "../../../api/problem";
import { BooleanQuery, createdHeaders, jsonContent as json, locationOf } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { priceLists } from "../schema";
import {
  findPriceList,
  PRICE_LIST_TAG,
  PriceListCreate,
  PriceListParams,
  PriceListSchema,
  PriceListUpdate,
  renderPriceLists,
  type PriceListRow,
} from "./price-list-schemas";
import { registerId } from "./register-ids";

/** The statement that leaves `keep` the only basic list. */
const unsetOtherBasic = (db: Db, keep: string) =>
  db
    .update(priceLists)
    .set({ isBasic: false })
    .where(and(eq(priceLists.isBasic, true), ne(priceLists.id, keep)));

export const priceListsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/price-lists",
      tags: PRICE_LIST_TAG,
      summary: "Create a price list (is_basic makes it the one new customers get)",
      ...scoped("admin"),
      request: { body: { required: true, content: json(PriceListCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(PriceListSchema) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const db = dbOf(c);
      const row: PriceListRow = {
        id: registerId("pl"),
        name: body.name,
        currency: body.currency,
        isBasic: body.is_basic,
        createdAt: Date.now(),
      };
      const insert = db.insert(priceLists).values(row);
      if (row.isBasic) await db.batch([unsetOtherBasic(db, row.id), insert]);
      else await insert;
      const [list] = await renderPriceLists(db, [row]);
      return c.json(list!, 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/price-lists",
      tags: PRICE_LIST_TAG,
      summary: "List price lists with their articles, newest first",
      ...scoped(...READ_SCOPES),
      request: { query: z.object({ ...pageQuery, is_basic: BooleanQuery.optional() }) },
      responses: {
        200: {
          description: "A page of price lists",
          content: json(pageOf(PriceListSchema, "PriceListPage")),
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const db = dbOf(c);
      const filters: (SQL | undefined)[] = [
        q.is_basic === undefined ? undefined : eq(priceLists.isBasic, q.is_basic),
        afterCursor(q.cursor, priceLists.createdAt, priceLists.id, "desc"),
      ];
      const rows = await db
        .select()
        .from(priceLists)
        .where(and(...filters))
        .orderBy(desc(priceLists.createdAt), desc(priceLists.id))
        .limit(q.limit + 1);
      const page = toPage(
        rows,
        q.limit,
        (r) => [r.createdAt, r.id],
        (r) => r,
      );
      return c.json({ data: await renderPriceLists(db, page.data), next_cursor: page.next_cursor }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/price-lists/{priceListId}",
      tags: PRICE_LIST_TAG,
      summary: "Get a price list with its articles",
      ...scoped(...READ_SCOPES),
      request: { params: PriceListParams },
      responses: {
        200: { description: "The price list", content: json(PriceListSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const [list] = await renderPriceLists(db, [await findPriceList(db, c.req.valid("param").priceListId)]);
      return c.json(list!, 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/price-lists/{priceListId}",
      tags: PRICE_LIST_TAG,
      summary: "Rename a price list, or make it (or stop it being) the basic one",
      ...scoped("admin"),
      request: {
        params: PriceListParams,
        body: {
          required: true,
          content: { ...json(PriceListUpdate), "application/merge-patch+json": { schema: PriceListUpdate } },
        },
      },
      responses: {
        200: { description: "The updated price list", content: json(PriceListSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const list = await findPriceList(db, c.req.valid("param").priceListId);
      const body = c.req.valid("json");
      const changes = { name: body.name ?? list.name, isBasic: body.is_basic ?? list.isBasic };
      const update = db.update(priceLists).set(changes).where(eq(priceLists.id, list.id));
      if (changes.isBasic) await db.batch([unsetOtherBasic(db, list.id), update]);
      else await update;
      const [rendered] = await renderPriceLists(db, [{ ...list, ...changes }]);
      return c.json(rendered!, 200);
    },
  );
