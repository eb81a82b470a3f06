/**
 * /v1/price-lists/{id}/articles: what a list charges. Article numbers are unique within a list
 * (409), and a list has one minute article at most (409): it is the per-minute price its customers
 * pay, and a second would be silently ignored by the pricing. Orders keep their own copy of the
 * article number and price, so changing or deleting an article never changes past orders.
 */
import { createRoute } from "@hono/zod-openapi";
import { and, eq, ne } from "drizzle-orm";
import { scoped, READ_SCOPES } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { notFoundProblem, ProblemError, problemResponses } from "../../../api/problem";
import { createdHeaders, jsonContent as json, locationOf } from "../../../api/schemas";
import { isUniqueViolation } from "../../../api/sql-errors";
import type { Db } from "../../../db/client";
import { articles } from "../schema";
import {
  ArticleCreate,
  ArticleParams,
  ArticleSchema,
  ArticleUpdate,
  findPriceList,
  PRICE_LIST_TAG,
  PriceListParams,
  renderArticle,
  type ArticleRow,
} from "./price-list-schemas";
import { registerId } from "./register-ids";

const conflict = (field: string, message: string) =>
  new ProblemError(409, "Conflict", `${field} ${message}.`, "about:blank", { errors: [{ field, message }] });

async function findArticle(db: Db, priceListId: string, articleId: string): Promise<ArticleRow> {
  const [row] = await db
    .select()
    .from(articles)
    .where(and(eq(articles.id, articleId), eq(articles.priceListId, priceListId)))
    .limit(1);
  if (!row) throw notFoundProblem(`Article ${articleId} of price list ${priceListId}`);
  return row;
}

/** 409 when the list has a minute article other than `except`. */
async function refuseSecondMinuteArticle(db: Db, priceListId: string, except: string): Promise<void> {
  const [other] = await db
    .select({ artNr: articles.artNr })
    .from(articles)
    .where(and(eq(articles.priceListId, priceListId), eq(articles.unit, "minute"), ne(articles.id, except)))
    .limit(1);
  if (other) throw conflict("unit", `cannot be minute: the list's minute article is ${other.artNr}`);
}

async function writeArticle(db: Db, row: ArticleRow, write: () => Promise<unknown>): Promise<void> {
  if (row.unit === "minute") await refuseSecondMinuteArticle(db, row.priceListId, row.id);
  try {
    await write();
  } catch (err) {
    if (isUniqueViolation(err, "articles.art_nr"))
      throw conflict("art_nr", `${row.artNr} is in this list already`);
    throw err;
  }
}

export const priceListArticlesRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/price-lists/{priceListId}/articles",
      tags: PRICE_LIST_TAG,
      summary: "Add an article to a price list",
      ...scoped("admin"),
      request: { params: PriceListParams, body: { required: true, content: json(ArticleCreate) } },
      responses: {
        201: { description: "Added", headers: createdHeaders, content: json(ArticleSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const list = await findPriceList(db, c.req.valid("param").priceListId);
      const body = c.req.valid("json");
      const row: ArticleRow = {
        id: registerId("ar"),
        priceListId: list.id,
        artNr: body.art_nr,
        description: body.description,
        unitPrice: body.unit_price,
        unit: body.unit,
        vatRateBp: body.vat_rate_bp,
        createdAt: Date.now(),
      };
      await writeArticle(db, row, () => db.insert(articles).values(row));
      return c.json(renderArticle(row), 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/price-lists/{priceListId}/articles/{articleId}",
      tags: PRICE_LIST_TAG,
      summary: "Get an article",
      ...scoped(...READ_SCOPES),
      request: { params: ArticleParams },
      responses: {
        200: { description: "The article", content: json(ArticleSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { priceListId, articleId } = c.req.valid("param");
      return c.json(renderArticle(await findArticle(dbOf(c), priceListId, articleId)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/price-lists/{priceListId}/articles/{articleId}",
      tags: PRICE_LIST_TAG,
      summary: "Change an article (past orders keep the price they had)",
      ...scoped("admin"),
      request: {
        params: ArticleParams,
        body: {
          required: true,
          content: { ...json(ArticleUpdate), "application/merge-patch+json": { schema: ArticleUpdate } },
        },
      },
      responses: {
        200: { description: "The updated article", content: json(ArticleSchema) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const { priceListId, articleId } = c.req.valid("param");
      const article = await findArticle(db, priceListId, articleId);
      const body = c.req.valid("json");
      const next: ArticleRow = {
        ...article,
        artNr: body.art_nr ?? article.artNr,
        description: body.description ?? article.description,
        unitPrice: body.unit_price ?? article.unitPrice,
        unit: body.unit ?? article.unit,
        vatRateBp: body.vat_rate_bp ?? article.vatRateBp,
      };
      const { id: _id, priceListId: _list, createdAt: _created, ...changes } = next;
      await writeArticle(db, next, () => db.update(articles).set(changes).where(eq(articles.id, article.id)));
      return c.json(renderArticle(next), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/price-lists/{priceListId}/articles/{articleId}",
      tags: PRICE_LIST_TAG,
      summary: "Remove an article from a price list",
      ...scoped("admin"),
      request: { params: ArticleParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = dbOf(c);
      const { priceListId, articleId } = c.req.valid("param");
      const article = await findArticle(db, priceListId, articleId);
      await db.delete(articles).where(eq(articles.id, article.id));
      return c.body(null, 204);
    },
  );
