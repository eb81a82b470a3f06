// Price lists as an admin sets them up: one basic list at a time (the one new customers get),
// articles priced in öre per minute, call or fixed fee with VAT (25 % unless said), unique article
// numbers within a list, and one minute article per list. Tests share the database, and making a
// list basic unsets every other one — so each test reads the basic list it made, not a fixed one.
import { describe, expect, it } from "vitest";
import { api, expectProblem, json } from "./api-helpers";
import { createCustomer, list, uniqueName } from "./support/register";

interface ArticleJson {
  id: string;
  art_nr: string;
  unit_price: number;
  unit: string;
  vat_rate_bp: number;
}
interface PriceListJson {
  id: string;
  name: string;
  is_basic: boolean;
  currency: string;
  articles: ArticleJson[];
}

const createList = async (body: Record<string, unknown> = {}) =>
  json<PriceListJson>(
    await api("/api/v1/price-lists", { method: "POST", body: { name: uniqueName("Lista"), ...body } }),
    201,
  );
const getList = async (id: string) => json<PriceListJson>(await api(`/api/v1/price-lists/${id}`), 200);
const addArticle = (listId: string, body: Record<string, unknown>) =>
  api(`/api/v1/price-lists/${listId}/articles`, { method: "POST", body });

describe("price lists", () => {
  it("keeps one basic list: a new basic list unsets the old one, and new customers get it", async () => {
    const first = await createList({ is_basic: true });
    expect(first).toMatchObject({ is_basic: true, currency: "sek", articles: [] });
    const second = await createList({ is_basic: true });
    expect((await getList(first.id)).is_basic).toBe(false);
    expect((await getList(second.id)).is_basic).toBe(true);
    expect((await list<PriceListJson>("/api/v1/price-lists?is_basic=true")).data.map((l) => l.id)).toEqual([
      second.id,
    ]);
    // Another test file may switch the basic list meanwhile: the customer gets whichever list was
    // basic when it was created, so it is checked against the basic list just before and after.
    const basicNow = async () => (await list<PriceListJson>("/api/v1/price-lists?is_basic=true")).data[0]?.id;
    const before = await basicNow();
    const customer = await createCustomer();
    expect([before, await basicNow()]).toContain(customer.price_list_id);
    expect(customer.price_list_id).not.toBeNull();

    const patched = await json<PriceListJson>(
      await api(`/api/v1/price-lists/${first.id}`, { method: "PATCH", body: { is_basic: true } }),
      200,
    );
    expect(patched.is_basic).toBe(true);
    expect((await getList(second.id)).is_basic).toBe(false);
  });

  it("adds articles with VAT 25 % by default, sorted by article number, each readable at its Location", async () => {
    const priceList = await createList();
    const minute = await addArticle(priceList.id, {
      art_nr: "TAROT-MIN",
      description: "Tarot, per minute",
      unit_price: 1990,
      unit: "minute",
    });
    const article = await json<ArticleJson>(minute, 201);
    expect(article).toMatchObject({ unit_price: 1990, unit: "minute", vat_rate_bp: 2500 });
    expect(await json(await api(minute.headers.get("location")!), 200)).toEqual(article);
    await json(
      await addArticle(priceList.id, {
        art_nr: "CONNECT",
        description: "Connection fee",
        unit_price: 500,
        unit: "call",
        vat_rate_bp: 1200,
      }),
      201,
    );
    expect((await getList(priceList.id)).articles.map((a) => [a.art_nr, a.vat_rate_bp])).toEqual([
      ["CONNECT", 1200],
      ["TAROT-MIN", 2500],
    ]);
  });

  it("refuses a repeated article number and a second minute article in one list (409)", async () => {
    const priceList = await createList();
    const base = { description: "x", unit_price: 100 };
    await json(await addArticle(priceList.id, { ...base, art_nr: "A1", unit: "minute" }), 201);
    const dup = await expectProblem(
      await addArticle(priceList.id, { ...base, art_nr: "A1", unit: "call" }),
      409,
    );
    expect(dup.errors?.map((e) => e.field)).toEqual(["art_nr"]);
    const minute = await expectProblem(
      await addArticle(priceList.id, { ...base, art_nr: "A2", unit: "minute" }),
      409,
    );
    expect(minute.errors).toEqual([
      { field: "unit", message: "cannot be minute: the list's minute article is A1" },
    ]);
    // The same article number in another list is fine.
    await json(await addArticle((await createList()).id, { ...base, art_nr: "A1", unit: "minute" }), 201);
  });

  it("changes and removes articles", async () => {
    const priceList = await createList();
    const article = await json<ArticleJson>(
      await addArticle(priceList.id, { art_nr: "FEE", description: "Fee", unit_price: 100, unit: "fixed" }),
      201,
    );
    const path = `/api/v1/price-lists/${priceList.id}/articles/${article.id}`;
    const patched = await json<ArticleJson>(
      await api(path, { method: "PATCH", body: { unit_price: 250, vat_rate_bp: 600 } }),
      200,
    );
    expect(patched).toMatchObject({ art_nr: "FEE", unit_price: 250, vat_rate_bp: 600, unit: "fixed" });
    expect(await json(await api(path), 200)).toEqual(patched);
    expect((await api(path, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await api(path), 404);
    expect((await getList(priceList.id)).articles).toEqual([]);
  });

  it("names the bad fields of an article", async () => {
    const priceList = await createList();
    const bad = await addArticle(priceList.id, {
      art_nr: "",
      description: "x",
      unit_price: 1.5,
      unit: "hour",
      vat_rate_bp: 30_000,
    });
    expect((await expectProblem(bad, 422)).errors?.map((e) => e.field).sort()).toEqual([
      "art_nr",
      "unit",
      "unit_price",
      "vat_rate_bp",
    ]);
    await expectProblem(
      await addArticle("pl_missing", { art_nr: "X", description: "x", unit_price: 1, unit: "call" }),
      404,
    );
  });
});
