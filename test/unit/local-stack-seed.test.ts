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
    for (const table of ["lines", "agents"]) {
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
});
