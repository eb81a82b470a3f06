// The customer register as an admin uses it: customers with several numbers typed any way (stored
// as E.164), found by a part of the name, by a number in national format, or by their code; one
// customer per number; changes kept field by field with who made them; closing keeps the record.
// The customer code goes in and never comes out — not in a response, not in the history.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { customerChanges, customers } from "../../src/products/agent-line/schema";
import { api, createToken, expectProblem, json, testDb } from "./api-helpers";
import {
  createCustomer,
  list,
  stockholmNumber,
  tick,
  uniqueCode,
  uniqueName,
  type CustomerJson,
} from "./support/register";

interface ChangeJson {
  field: string;
  old_value: string | null;
  new_value: string | null;
  actor: string;
  at: string;
}

const history = async (id: string) =>
  (await list<ChangeJson>(`/api/v1/customers/${id}/history?limit=200`)).data;

describe("customers", () => {
  it("registers a customer with numbers in national format, stored and shown as E.164", async () => {
    const [home, mobile] = [stockholmNumber(), stockholmNumber()];
    const res = await api("/api/v1/customers", {
      method: "POST",
      body: {
        name: uniqueName("Anna Berg"),
        street: "Storgatan 1",
        postal_code: "111 22",
        city: "Stockholm",
        email: "anna@example.se",
        credit_limit: 150_000,
        numbers: [home.national, mobile.e164],
      },
    });
    const created = await json<CustomerJson>(res, 201);
    expect(created).toMatchObject({
      status: "active",
      country: "SE",
      credit_limit: 150_000,
      open_balance: 0,
      available_credit: 150_000,
      numbers: [home.e164, mobile.e164],
      has_customer_code: false,
      paid_invoices: 0,
    });
    expect(res.headers.get("location")).toBe(`/api/v1/customers/${created.id}`);
    expect(await json(await api(res.headers.get("location")!), 200)).toEqual(created);
  });

  it("finds customers by part of the name in any case, Swedish letters included", async () => {
    const stem = crypto.randomUUID().slice(0, 8);
    const asa = await createCustomer({ name: `Åsa Öberg ${stem}` });
    await createCustomer({ name: `Bertil ${stem}` });
    const found = await list(`/api/v1/customers?q=${encodeURIComponent(`åSA öBERG ${stem}`.toLowerCase())}`);
    expect(found.data.map((c) => c.id)).toEqual([asa.id]);
    const both = await list(`/api/v1/customers?q=${stem.toUpperCase()}`);
    expect(both.data).toHaveLength(2);
  });

  it("finds a customer by any of their numbers, typed in national format", async () => {
    const [first, second] = [stockholmNumber(), stockholmNumber()];
    const customer = await createCustomer({ numbers: [first.e164] });
    const added = await api(`/api/v1/customers/${customer.id}/numbers`, {
      method: "POST",
      body: { number: second.national },
    });
    expect(await json(added, 201)).toMatchObject({ number: second.e164, customer_id: customer.id });
    expect(added.headers.get("location")).toBe(
      `/api/v1/customers/${customer.id}/numbers/${encodeURIComponent(second.e164)}`,
    );
    expect(await json(await api(added.headers.get("location")!), 200)).toMatchObject({ number: second.e164 });
    for (const typed of [first.national, second.national, second.e164]) {
      const found = await list(`/api/v1/customers?number=${encodeURIComponent(typed)}`);
      expect(
        found.data.map((c) => c.id),
        typed,
      ).toEqual([customer.id]);
    }
    expect((await json<CustomerJson>(await api(`/api/v1/customers/${customer.id}`), 200)).numbers).toEqual([
      first.e164,
      second.e164,
    ]);
  });

  it("refuses a number that belongs to another customer (409 naming the field) and writes nothing", async () => {
    const taken = stockholmNumber();
    const owner = await createCustomer({ numbers: [taken.e164] });
    const other = await createCustomer();

    const add = await api(`/api/v1/customers/${other.id}/numbers`, {
      method: "POST",
      body: { number: taken.national },
    });
    const problem = await expectProblem(add, 409);
    expect(problem.errors).toEqual([
      { field: "number", message: `${taken.e164} already belongs to customer ${owner.id}` },
    ]);

    const name = uniqueName("Taken");
    const create = await api("/api/v1/customers", {
      method: "POST",
      body: { name, numbers: [stockholmNumber().e164, taken.national] },
    });
    expect((await expectProblem(create, 409)).errors?.map((e) => e.field)).toEqual(["numbers.1"]);
    expect((await list(`/api/v1/customers?q=${encodeURIComponent(name)}`)).data).toEqual([]);

    // Adding a number the customer already has changes nothing.
    const again = await api(`/api/v1/customers/${owner.id}/numbers`, {
      method: "POST",
      body: { number: taken.e164 },
    });
    expect(again.status).toBe(200);
  });

  it("removes a number (kept in the history); the number no longer finds the customer", async () => {
    const [keep, drop] = [stockholmNumber(), stockholmNumber()];
    const customer = await createCustomer({ numbers: [keep.e164, drop.e164] });
    const path = `/api/v1/customers/${customer.id}/numbers/${encodeURIComponent(drop.e164)}`;
    expect((await api(path, { method: "DELETE" })).status).toBe(204);
    expect((await list(`/api/v1/customers?number=${encodeURIComponent(drop.national)}`)).data).toEqual([]);
    expect((await json<CustomerJson>(await api(`/api/v1/customers/${customer.id}`), 200)).numbers).toEqual([
      keep.e164,
    ]);
    expect(await history(customer.id)).toContainEqual(
      expect.objectContaining({ field: "numbers", old_value: drop.e164, new_value: null, actor: "admin" }),
    );
    await expectProblem(await api(path, { method: "DELETE" }), 404);
  });

  it("takes a customer code, finds the customer by it, and never shows it again", async () => {
    const code = uniqueCode();
    const res = await api("/api/v1/customers", {
      method: "POST",
      body: { name: uniqueName("Secret"), customer_code: code },
    });
    const text = await res.clone().text();
    const customer = await json<CustomerJson>(res, 201);
    expect(customer.has_customer_code).toBe(true);
    expect(customer).not.toHaveProperty("customer_code");

    const byCode = await api(`/api/v1/customers?code=${code}`);
    const found = await byCode.clone().text();
    expect((await json<{ data: CustomerJson[] }>(byCode, 200)).data.map((c) => c.id)).toEqual([customer.id]);
    expect((await list(`/api/v1/customers?code=${uniqueCode()}`)).data).toEqual([]);

    const newCode = uniqueCode();
    await tick();
    const patch = await api(`/api/v1/customers/${customer.id}`, {
      method: "PATCH",
      body: { customer_code: newCode },
    });
    const patched = await patch.clone().text();
    expect(patch.status).toBe(200);
    await tick();
    const cleared = await api(`/api/v1/customers/${customer.id}`, {
      method: "PATCH",
      body: { customer_code: null },
    });
    expect((await json<CustomerJson>(cleared, 200)).has_customer_code).toBe(false);

    const codeRows = (await history(customer.id)).filter((c) => c.field === "customer_code");
    expect(codeRows.map((c) => [c.old_value, c.new_value])).toEqual([
      ["(set)", "(cleared)"],
      ["(set)", "(set)"],
      [null, "(set)"],
    ]);
    const historyText = await (await api(`/api/v1/customers/${customer.id}/history?limit=200`)).text();
    const fetched = await (await api(`/api/v1/customers/${customer.id}`)).text();
    for (const shown of [text, found, patched, historyText, fetched]) {
      expect(shown).not.toContain(code);
      expect(shown).not.toContain(newCode);
    }
    // Nor is it in the database: only a keyed hash, and the history has no trace of it.
    const db = testDb();
    const [row] = await db.select().from(customers).where(eq(customers.id, customer.id));
    expect(row?.codeHash).toBeNull();
    const changes = await db
      .select()
      .from(customerChanges)
      .where(eq(customerChanges.customerId, customer.id));
    expect(JSON.stringify(changes)).not.toMatch(new RegExp(`${code}|${newCode}`));
  });

  it("refuses a code another customer has (409), without saying anything of that customer", async () => {
    const code = uniqueCode();
    await createCustomer({ customer_code: code });
    const res = await api("/api/v1/customers", {
      method: "POST",
      body: { name: uniqueName("Dup"), customer_code: code },
    });
    const problem = await expectProblem(res, 409);
    expect(problem.errors).toEqual([{ field: "customer_code", message: "is another customer's code" }]);
  });

  it("merges a PATCH and writes one history row per changed field, with the token that changed it", async () => {
    const token = await createToken(["admin"], "register clerk");
    const customer = await createCustomer({ street: "Gamla gatan 2", city: "Solna", credit_limit: 100_000 });
    const res = await api(`/api/v1/customers/${customer.id}`, {
      method: "PATCH",
      token: token.token,
      headers: { "content-type": "application/merge-patch+json" },
      raw: JSON.stringify({ credit_limit: 250_000, street: null, city: "Solna", status: "blocked" }),
    });
    const updated = await json<CustomerJson>(res, 200);
    expect(updated).toMatchObject({ credit_limit: 250_000, street: null, city: "Solna", status: "blocked" });
    expect(updated.name).toBe(customer.name);

    const changes = (await history(customer.id)).filter((c) => c.actor === token.id);
    expect(changes.map((c) => [c.field, c.old_value, c.new_value]).sort()).toEqual([
      ["credit_limit", "100000", "250000"],
      ["status", "active", "blocked"],
      ["street", "Gamla gatan 2", null],
    ]);
    // The creation is in the history too, by the bootstrap admin.
    expect(await history(customer.id)).toContainEqual(
      expect.objectContaining({ field: "name", old_value: null, new_value: customer.name, actor: "admin" }),
    );

    // Sending what is already stored changes nothing and records nothing.
    const before = (await history(customer.id)).length;
    await json(
      await api(`/api/v1/customers/${customer.id}`, { method: "PATCH", body: { city: "Solna" } }),
      200,
    );
    expect(await history(customer.id)).toHaveLength(before);
  });

  it("closes a customer on DELETE and keeps the record and its history", async () => {
    const customer = await createCustomer();
    expect((await api(`/api/v1/customers/${customer.id}`, { method: "DELETE" })).status).toBe(204);
    const closed = await json<CustomerJson>(await api(`/api/v1/customers/${customer.id}`), 200);
    expect(closed.status).toBe("closed");
    expect(await history(customer.id)).toContainEqual(
      expect.objectContaining({ field: "status", old_value: "active", new_value: "closed" }),
    );
    const listed = await list(`/api/v1/customers?status=closed&q=${encodeURIComponent(customer.name)}`);
    expect(listed.data.map((c) => c.id)).toEqual([customer.id]);
    expect(
      (await list(`/api/v1/customers?status=active&q=${encodeURIComponent(customer.name)}`)).data,
    ).toEqual([]);
  });

  it("keeps timestamped notes with their author, newest first", async () => {
    const customer = await createCustomer();
    const first = await api(`/api/v1/customers/${customer.id}/notes`, {
      method: "POST",
      body: { text: "Called about the invoice." },
    });
    const note = await json<{ id: string; author: string; created_at: string }>(first, 201);
    expect(note.author).toBe("admin");
    expect(await json(await api(first.headers.get("location")!), 200)).toEqual(note);
    const token = await createToken(["admin"], "notes");
    await tick();
    await json(
      await api(`/api/v1/customers/${customer.id}/notes`, {
        method: "POST",
        token: token.token,
        body: { text: "Prefers e-mail." },
      }),
      201,
    );
    const notes = await list<{ text: string; author: string }>(`/api/v1/customers/${customer.id}/notes`);
    expect(notes.data.map((n) => [n.text, n.author])).toEqual([
      ["Prefers e-mail.", token.id],
      ["Called about the invoice.", "admin"],
    ]);
    await expectProblem(
      await api(`/api/v1/customers/${customer.id}/notes`, { method: "POST", body: { text: "  " } }),
      422,
    );
  });

  it("pages the list with next_cursor, without repeats", async () => {
    const stem = uniqueName("Paged");
    for (let i = 0; i < 3; i++) {
      await createCustomer({ name: `${stem} ${i}` });
      await tick();
    }
    const first = await list(`/api/v1/customers?limit=2&q=${encodeURIComponent(stem)}`);
    expect(first.data).toHaveLength(2);
    const second = await list(
      `/api/v1/customers?limit=2&q=${encodeURIComponent(stem)}&cursor=${first.next_cursor}`,
    );
    expect(second.data.map((c) => c.name)).toEqual([`${stem} 0`]);
    expect(second.next_cursor).toBeNull();
  });
});
