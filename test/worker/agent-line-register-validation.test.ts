// Bad customer bodies and queries as an admin might send them: every bad field named at once in
// plain words, references that point at nothing, rules that span fields, a required field that a
// merge patch tries to remove, and scopes (a readonly token reads but does not write). The code a
// body carries is never echoed back in an error.
import { describe, expect, it } from "vitest";
import { api, createToken, expectProblem, json } from "./api-helpers";
import { createCustomer, uniqueName } from "./support/register";

describe("customer validation", () => {
  it("names every bad field of a create at once, in plain words", async () => {
    const res = await api("/api/v1/customers", {
      method: "POST",
      body: {
        name: "",
        email: "not-an-email",
        credit_limit: -5,
        numbers: ["08-123 45 67", "hello", "+4681234567"],
        customer_code: "12ab",
        discount_bp: "ten",
        open_balance: 0,
      },
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual([
      "credit_limit",
      "customer_code",
      "discount_bp",
      "email",
      "name",
      "numbers.1",
      "numbers.2",
      "open_balance",
    ]);
    const message = (field: string) => problem.errors?.find((e) => e.field === field)?.message;
    expect(message("numbers.1")).toMatch(/must be a phone number/);
    expect(message("numbers.2")).toBe("repeats numbers.0");
    expect(message("customer_code")).toBe("must be 4 to 12 digits");
    expect(message("open_balance")).toBe("is not a known field");
    expect(JSON.stringify(problem)).not.toContain("12ab");
  });

  it("answers a body that is no JSON object with a 422, not a crash", async () => {
    for (const raw of ["null", "[]", '"Anna"'])
      expect(
        (
          await expectProblem(
            await api("/api/v1/customers", {
              method: "POST",
              raw,
              headers: { "content-type": "application/json" },
            }),
            422,
          )
        ).errors?.map((e) => e.field),
        raw,
      ).toEqual(["body"]);
  });

  it("refuses a price list or line that does not exist, and a discount with a price of one's own", async () => {
    const res = await api("/api/v1/customers", {
      method: "POST",
      body: { name: uniqueName("Refs"), price_list_id: "pl_nope", line_id: "ln_nope" },
    });
    expect((await expectProblem(res, 422)).errors?.map((e) => e.field)).toEqual(["price_list_id", "line_id"]);
    const both = await api("/api/v1/customers", {
      method: "POST",
      body: { name: uniqueName("Both"), discount_bp: 1000, price_per_minute: 1500 },
    });
    expect((await expectProblem(both, 422)).errors?.map((e) => e.field)).toEqual(["price_per_minute"]);
    const customer = await createCustomer({ price_per_minute: 1500 });
    const patch = await api(`/api/v1/customers/${customer.id}`, {
      method: "PATCH",
      body: { discount_bp: 500 },
    });
    expect((await expectProblem(patch, 422)).errors?.map((e) => e.field)).toEqual(["discount_bp"]);
  });

  it("refuses removing a required field and a bad number in a search", async () => {
    const customer = await createCustomer();
    const patch = await api(`/api/v1/customers/${customer.id}`, {
      method: "PATCH",
      body: { name: null, credit_limit: null, email: null },
    });
    expect((await expectProblem(patch, 422)).errors).toEqual([
      { field: "name", message: "cannot be removed; send a value" },
      { field: "credit_limit", message: "cannot be removed; send a value" },
    ]);
    const search = await api("/api/v1/customers?number=abc");
    expect((await expectProblem(search, 422)).errors?.map((e) => e.field)).toEqual(["number"]);
    await expectProblem(await api("/api/v1/customers/cu_missing"), 404);
  });

  it("lets a readonly token read but not write", async () => {
    const reader = await createToken(["readonly"]);
    const customer = await createCustomer();
    await json(await api(`/api/v1/customers/${customer.id}`, { token: reader.token }), 200);
    await expectProblem(
      await api(`/api/v1/customers/${customer.id}`, {
        method: "PATCH",
        token: reader.token,
        body: { city: "X" },
      }),
      403,
    );
  });
});

describe("the register in the OpenAPI document", () => {
  it("documents the search parameters, the CSV import body and the export", async () => {
    const doc = await json<{
      paths: Record<
        string,
        Record<string, { parameters?: { name: string }[]; requestBody?: { content: object } }>
      >;
    }>(await api("/api/openapi.json", { token: null }), 200);
    const names = doc.paths["/v1/customers"]?.get?.parameters?.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(["q", "number", "country", "code", "status", "limit", "cursor"]),
    );
    expect(Object.keys(doc.paths["/v1/directory/import"]?.post?.requestBody?.content ?? {})).toEqual([
      "text/csv",
    ]);
    for (const path of [
      "/v1/customers.csv",
      "/v1/customers/{customerId}/history",
      "/v1/customers/{customerId}/numbers/{number}",
      "/v1/blacklist/{entryId}/lift",
      "/v1/price-lists/{priceListId}/articles/{articleId}",
      "/v1/directory/{number}",
    ])
      expect(Object.keys(doc.paths)).toContain(path);
  });
});
