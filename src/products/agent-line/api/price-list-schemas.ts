/**
 * Price lists and their articles on the wire. An article is priced in öre per unit (minute, call,
 * or a fixed fee) before VAT, with its VAT rate in basis points (2500 = 25 %). One list is the
 * basic one new customers get; a list's minute article is what its customers pay per minute.
 */
import { z } from "@hono/zod-openapi";
import { asc, eq, inArray } from "drizzle-orm";
import { notFoundProblem } from "../../../api/problem";
import { idParam, IsoTime, toIso } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { articles, priceLists } from "../schema";

export const PRICE_LIST_TAG = ["Price lists"];
export const ARTICLE_UNITS = articles.unit.enumValues;

const ArtNr = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, "must be 1 to 32 letters, digits, dots, dashes or underscores")
  .openapi({ example: "MIN-TAROT" });
const Description = z.string().trim().min(1).max(200).openapi({ example: "Tarot, per minute" });
const UnitPrice = z
  .int()
  .min(0)
  .max(100_000_000)
  .openapi({ description: "öre per unit, ex VAT", example: 1990 });
const VatRateBp = z
  .int()
  .min(0)
  .max(10_000)
  .openapi({ description: "basis points (2500 = 25 %)", example: 2500 });

export const PriceListCreate = z
  .object({
    name: z.string().trim().min(1).max(120).openapi({ example: "Standard 2026" }),
    is_basic: z
      .boolean()
      .default(false)
      .openapi({ description: "New customers get this list; replaces the basic one" }),
    currency: z
      .string()
      .regex(/^[a-z]{3}$/, "must be an ISO 4217 code in lower case, like sek")
      .default("sek"),
  })
  .strict()
  .openapi("PriceListCreate");

export const PriceListUpdate = z
  .object({ name: z.string().trim().min(1).max(120), is_basic: z.boolean() })
  .partial()
  .strict()
  .openapi("PriceListUpdate");

export const ArticleCreate = z
  .object({
    art_nr: ArtNr,
    description: Description,
    unit_price: UnitPrice,
    unit: z.enum(ARTICLE_UNITS),
    vat_rate_bp: VatRateBp.default(2500),
  })
  .strict()
  .openapi("ArticleCreate");

export const ArticleUpdate = z
  .object({
    art_nr: ArtNr,
    description: Description,
    unit_price: UnitPrice,
    unit: z.enum(ARTICLE_UNITS),
    vat_rate_bp: VatRateBp,
  })
  .partial()
  .strict()
  .openapi("ArticleUpdate");

export const ArticleSchema = z
  .object({
    id: z.string().openapi({ example: "ar_9Qk2s0QbXk2mT7aLzP1c" }),
    price_list_id: z.string(),
    art_nr: z.string(),
    description: z.string(),
    unit_price: z.int(),
    unit: z.enum(ARTICLE_UNITS),
    vat_rate_bp: z.int(),
    created_at: IsoTime,
  })
  .openapi("Article");

export const PriceListSchema = z
  .object({
    id: z.string().openapi({ example: "pl_3Jd8s0QbXk2mT7aLzP1c" }),
    name: z.string(),
    currency: z.string(),
    is_basic: z.boolean(),
    articles: z.array(ArticleSchema),
    created_at: IsoTime,
  })
  .openapi("PriceList");

export type PriceListRow = typeof priceLists.$inferSelect;
export type ArticleRow = typeof articles.$inferSelect;

export const renderArticle = (row: ArticleRow) => ({
  id: row.id,
  price_list_id: row.priceListId,
  art_nr: row.artNr,
  description: row.description,
  unit_price: row.unitPrice,
  unit: row.unit,
  vat_rate_bp: row.vatRateBp,
  created_at: toIso(row.createdAt),
});

/** Lists with their articles (by article number), one query for the articles of a whole page. */
export async function renderPriceLists(db: Db, lists: PriceListRow[]) {
  const rows = lists.length
    ? await db
        .select()
        .from(articles)
        .where(
          inArray(
            articles.priceListId,
            lists.map((l) => l.id),
          ),
        )
        .orderBy(asc(articles.artNr))
    : [];
  return lists.map((list) => ({
    id: list.id,
    name: list.name,
    currency: list.currency,
    is_basic: list.isBasic,
    articles: rows.filter((a) => a.priceListId === list.id).map(renderArticle),
    created_at: toIso(list.createdAt),
  }));
}

export async function findPriceList(db: Db, priceListId: string): Promise<PriceListRow> {
  const [row] = await db.select().from(priceLists).where(eq(priceLists.id, priceListId)).limit(1);
  if (!row) throw notFoundProblem(`Price list ${priceListId}`);
  return row;
}

export const PriceListParams = z.object({ priceListId: idParam("priceListId", "pl_3Jd8s0QbXk2mT7aLzP1c") });
export const ArticleParams = PriceListParams.extend({
  articleId: idParam("articleId", "ar_9Qk2s0QbXk2mT7aLzP1c"),
});
