// The blacklist as an admin keeps it: entries for a number (typed any way) or for a customer, with
// the prompt the caller will hear; listed with filters; lifted once, by whom and when, and still
// listed afterwards. An entry for a customer shows in that customer's history.
import { describe, expect, it } from "vitest";
import { blacklistPromptFor } from "../../src/products/agent-line/customer-store";
import { api, createToken, expectProblem, json, testDb } from "./api-helpers";
import { createCustomer, list, stockholmNumber, tick } from "./support/register";

interface EntryJson {
  id: string;
  number: string | null;
  customer_id: string | null;
  category: string;
  prompt: string;
  active: boolean;
  created_by: string;
  lifted_by: string | null;
  lifted_at: string | null;
}

const add = (body: Record<string, unknown>) => api("/api/v1/blacklist", { method: "POST", body });
const lift = (id: string, token?: string) => api(`/api/v1/blacklist/${id}/lift`, { method: "POST", token });

describe("blacklist", () => {
  it("blacklists a number typed in national format; the call flow then finds its prompt", async () => {
    const n = stockholmNumber();
    const res = await add({ number: n.national, category: "behaviour", prompt: "of abusive language" });
    const entry = await json<EntryJson>(res, 201);
    expect(entry).toMatchObject({
      number: n.e164,
      customer_id: null,
      category: "behaviour",
      active: true,
      created_by: "admin",
      lifted_at: null,
    });
    expect(await json(await api(res.headers.get("location")!), 200)).toEqual(entry);
    expect(await blacklistPromptFor(testDb(), { number: n.e164 })).toBe("of abusive language");

    const byNumber = await list<EntryJson>(`/api/v1/blacklist?number=${encodeURIComponent(n.national)}`);
    expect(byNumber.data.map((e) => e.id)).toEqual([entry.id]);
  });

  it("blacklists a customer and writes it into the customer's history", async () => {
    const customer = await createCustomer();
    await tick();
    const entry = await json<EntryJson>(
      await add({ customer_id: customer.id, category: "financial", prompt: "an invoice is unpaid" }),
      201,
    );
    expect(entry).toMatchObject({ customer_id: customer.id, number: null });
    const changes = await list<{ field: string; new_value: string | null }>(
      `/api/v1/customers/${customer.id}/history`,
    );
    expect(changes.data[0]).toMatchObject({
      field: "blacklist",
      new_value: `financial: an invoice is unpaid (${entry.id})`,
    });
    const byCustomer = await list<EntryJson>(`/api/v1/blacklist?customer_id=${customer.id}`);
    expect(byCustomer.data.map((e) => e.id)).toEqual([entry.id]);
  });

  it("lifts an entry once, saying who and when; it stays listed as inactive; a second lift is a 409", async () => {
    const customer = await createCustomer();
    const entry = await json<EntryJson>(
      await add({ customer_id: customer.id, category: "other", prompt: "of a dispute" }),
      201,
    );
    const clerk = await createToken(["admin"], "blacklist clerk");
    await tick();
    const lifted = await json<EntryJson>(await lift(entry.id, clerk.token), 200);
    expect(lifted).toMatchObject({ active: false, lifted_by: clerk.id });
    expect(Date.parse(lifted.lifted_at!)).toBeGreaterThan(Date.now() - 60_000);
    expect(await blacklistPromptFor(testDb(), { customerId: customer.id })).toBeNull();

    const again = await expectProblem(await lift(entry.id), 409);
    expect(again.detail).toContain(clerk.id);
    expect(await json(await api(`/api/v1/blacklist/${entry.id}`), 200)).toEqual(lifted);

    const all = await list<EntryJson>(`/api/v1/blacklist?customer_id=${customer.id}`);
    expect(all.data.map((e) => [e.id, e.active])).toEqual([[entry.id, false]]);
    expect((await list<EntryJson>(`/api/v1/blacklist?customer_id=${customer.id}&active=true`)).data).toEqual(
      [],
    );
    expect(
      (await list<EntryJson>(`/api/v1/blacklist?customer_id=${customer.id}&active=false`)).data.map(
        (e) => e.id,
      ),
    ).toEqual([entry.id]);
    const history = await list<{ field: string; new_value: string | null; actor: string }>(
      `/api/v1/customers/${customer.id}/history`,
    );
    expect(history.data[0]).toMatchObject({ field: "blacklist", new_value: "(lifted)", actor: clerk.id });
    await expectProblem(await lift("bl_missing"), 404);
  });

  it("refuses a second active entry for the same number, and allows one after a lift", async () => {
    const n = stockholmNumber();
    const first = await json<EntryJson>(await add({ number: n.e164, category: "other", prompt: "x" }), 201);
    const second = await expectProblem(
      await add({ number: n.national, category: "other", prompt: "y" }),
      409,
    );
    expect(second.errors).toEqual([
      { field: "number", message: `is already blacklisted (entry ${first.id})` },
    ]);
    await json(await lift(first.id), 200);
    await json(await add({ number: n.national, category: "other", prompt: "y" }), 201);
  });

  it("needs exactly one of number and customer_id, and names the bad fields", async () => {
    const neither = await expectProblem(await add({ category: "other", prompt: "x" }), 422);
    expect(neither.errors).toEqual([{ field: "number", message: "is required, or customer_id instead" }]);
    const customer = await createCustomer();
    const both = await add({
      number: stockholmNumber().e164,
      customer_id: customer.id,
      category: "other",
      prompt: "x",
    });
    expect((await expectProblem(both, 422)).errors?.map((e) => e.field)).toEqual(["customer_id"]);
    const bad = await add({ number: "12", category: "rude", prompt: "" });
    expect((await expectProblem(bad, 422)).errors?.map((e) => e.field).sort()).toEqual([
      "category",
      "number",
      "prompt",
    ]);
    const unknown = await add({ customer_id: "cu_missing", category: "other", prompt: "x" });
    expect((await expectProblem(unknown, 422)).errors).toEqual([
      { field: "customer_id", message: "is not the id of a customer" },
    ]);
  });
});
