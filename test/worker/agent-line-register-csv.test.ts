// The customer register exported for a spreadsheet: same filters as the list, RFC 4180 quoting,
// money in öre and as decimals, a name that looks like a formula neutralised, never the code, and
// every matching customer even past one batch of the stream.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/products/agent-line/api/parse-csv";
import { customers } from "../../src/products/agent-line/schema";
import { api, expectProblem, testDb } from "./api-helpers";
import { createCustomer, stockholmNumber, uniqueCode, uniqueName } from "./support/register";

async function exportCsv(query: string): Promise<{ text: string; rows: Record<string, string>[] }> {
  const res = await api(`/api/v1/customers.csv?${query}`);
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
  const [header, ...records] = parseCsv(text);
  const rows = records.map((r) =>
    Object.fromEntries(header!.fields.map((name, i) => [name, r.fields[i] ?? ""])),
  );
  return { text, rows };
}

describe("GET /v1/customers.csv", () => {
  it("exports the filtered customers with quoting, decimals, and formulas neutralised", async () => {
    const stem = uniqueName("Export");
    const [a, b] = [stockholmNumber(), stockholmNumber()];
    const code = uniqueCode();
    const plain = await createCustomer({
      name: `Berg, "Anna" ${stem}`,
      street: "Storgatan 1",
      numbers: [a.national],
      credit_limit: 150_050,
      price_per_minute: 1990,
      customer_code: code,
    });
    const formula = await createCustomer({
      name: `=HYPERLINK("http://x.test","${stem}")`,
      numbers: [b.e164],
    });
    await createCustomer({ name: `Someone else ${crypto.randomUUID()}` });

    const { text, rows } = await exportCsv(`q=${encodeURIComponent(stem)}`);
    expect(text.startsWith("id,name,street,postal_code,city,country,email,status,numbers,")).toBe(true);
    expect(text).toContain(`"Berg, ""Anna"" ${stem}"`);
    expect(text).toContain("\r\n");
    expect(text).not.toContain(code);
    expect(rows.map((r) => r.id).sort()).toEqual([formula.id, plain.id].sort());
    const row = (id: string) => rows.find((r) => r.id === id);
    expect(row(formula.id)?.name).toBe(`'=HYPERLINK("http://x.test","${stem}")`);
    expect(row(plain.id)).toMatchObject({
      name: `Berg, "Anna" ${stem}`,
      street: "Storgatan 1",
      city: "",
      numbers: a.e164,
      credit_limit_minor: "150050",
      credit_limit: "1500.50",
      open_balance: "0.00",
      price_per_minute_minor: "1990",
      price_per_minute: "19.90",
      currency: "sek",
      has_customer_code: "true",
      status: "active",
    });
  });

  it("applies the list's filters: number in national format, status", async () => {
    const n = stockholmNumber();
    const customer = await createCustomer({ numbers: [n.e164, stockholmNumber().e164] });
    const byNumber = await exportCsv(`number=${encodeURIComponent(n.national)}`);
    expect(byNumber.rows.map((r) => r.id)).toEqual([customer.id]);
    // Two numbers in one cell would add up as a formula in a spreadsheet: the cell is neutralised.
    expect(byNumber.rows[0]?.numbers).toMatch(/^'\+468\d{8} \+468\d{8}$/);
    await api(`/api/v1/customers/${customer.id}`, { method: "DELETE" });
    const closed = await exportCsv(`status=closed&number=${encodeURIComponent(n.e164)}`);
    expect(closed.rows.map((r) => r.status)).toEqual(["closed"]);
    expect((await exportCsv(`status=active&number=${encodeURIComponent(n.e164)}`)).rows).toEqual([]);
    await expectProblem(await api("/api/v1/customers.csv?number=nope"), 422);
  });

  it("streams every matching customer, past one batch", async () => {
    const stem = uniqueName("Bulk");
    const now = Date.now();
    const values = Array.from({ length: 1_001 }, (_, i) => ({
      id: `cu_bulk_${crypto.randomUUID()}`,
      name: `${stem} ${String(i).padStart(4, "0")}`,
      creditLimit: 100_000,
      createdAt: now - i,
      updatedAt: now,
    }));
    const db = testDb();
    for (let i = 0; i < values.length; i += 250) await db.insert(customers).values(values.slice(i, i + 250));
    const { rows } = await exportCsv(`q=${encodeURIComponent(stem)}`);
    expect(rows).toHaveLength(1_001);
    expect(new Set(rows.map((r) => r.id)).size).toBe(1_001);
    expect(rows[0]?.name).toBe(`${stem} 0000`);
    expect(rows[1_000]?.name).toBe(`${stem} 1000`);
  });
});
