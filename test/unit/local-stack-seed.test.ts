// The local stack's demo rows read like real ones: created and updated at the moment they were
// seeded, never "updated" before they were "created" (the database's clock and the seeding
// process's clock are different clocks; here the process's is pinned a year back to show it).
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it, vi } from "vitest";
import { applyMigrations } from "../../src/db/migrate";
import { loadMigrations } from "../../tools/db/load-migrations";
import { seedDemoData } from "../../tools/local-stack/seed";

afterEach(() => vi.useRealTimers());

describe("seedDemoData", () => {
  it("stamps every demo line and agent with updated_at ≥ created_at, both the seeding time", async () => {
    const client = createClient({ url: ":memory:" });
    await applyMigrations(client, await loadMigrations());
    const seededAt = Date.parse("2025-11-01T12:00:00Z");
    vi.useFakeTimers({ toFake: ["Date"], now: seededAt });
    await seedDemoData(client);
    vi.useRealTimers();
    for (const table of ["lines", "agents", "merchants"]) {
      const rows = (await client.execute(`SELECT id, created_at, updated_at FROM ${table}`)).rows;
      expect(rows.length, table).toBeGreaterThan(0);
      for (const row of rows) {
        expect(Number(row.updated_at), `${table} ${row.id as string}`).toBeGreaterThanOrEqual(
          Number(row.created_at),
        );
        expect(Number(row.created_at), `${table} ${row.id as string}`).toBe(seededAt);
      }
    }
    client.close();
  });

  it("gives each advice line its own onboarded merchant, whose account the Stripe stand-in will know", async () => {
    const client = createClient({ url: ":memory:" });
    await applyMigrations(client, await loadMigrations());
    const demo = await seedDemoData(client);
    await seedDemoData(client); // a second start changes nothing
    const rows = (
      await client.execute(
        `SELECT l.id AS line, m.id AS merchant, m.stripe_account_id AS account, m.charges_enabled AS charges
           FROM lines l LEFT JOIN merchants m ON m.id = l.merchant_id WHERE l.product = 'advice' ORDER BY l.id`,
      )
    ).rows.map((r) => ({ ...r }));
    expect(rows).toEqual([
      { line: "ln_advice_flat", merchant: "mer_demo_tess", account: "acct_demo_tess", charges: 1 },
      { line: "ln_advice_minute", merchant: "mer_demo_ada", account: "acct_demo_ada", charges: 1 },
    ]);
    expect(demo.merchantAccounts.map((a) => [a.id, a.charges_enabled])).toEqual([
      ["acct_demo_ada", true],
      ["acct_demo_tess", true],
    ]);
    client.close();
  });
});
