// The real migrations/ applied through the real @libsql/client to the local libSQL server: an empty
// database gets every table, a rerun changes nothing, and a broken migration leaves no trace.
import { createClient, type Client } from "@libsql/client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyMigrations, splitStatements } from "../../src/db/migrate";
import { loadMigrations } from "../../tools/db/load-migrations";
import { startLibsqlServer, type LibsqlServer } from "../../tools/libsql-server/server";

let server: LibsqlServer;
let client: Client;

beforeEach(async () => {
  server = await startLibsqlServer({});
  client = createClient({ url: server.url });
});
afterEach(async () => {
  client.close();
  await server.close();
});

async function schemaSnapshot(): Promise<string[]> {
  const result = await client.execute(
    "SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS entry FROM sqlite_schema ORDER BY type, name",
  );
  return result.rows.map((row) => row.entry as string);
}

async function tableNames(): Promise<string[]> {
  const result = await client.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
  return result.rows.map((row) => row.name as string);
}

describe("applyMigrations", () => {
  it("creates every table of the real migrations on an empty database", async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    const { applied } = await applyMigrations(client, migrations);
    expect(applied).toEqual(migrations.map((m) => m.name));
    const tables = await tableNames();
    for (const table of ["lines", "agents", "calls", "api_tokens", "__meterline_migrations"]) {
      expect(tables).toContain(table);
    }
    const created = migrations.flatMap((m) =>
      [...m.sql.matchAll(/CREATE TABLE `([^`]+)`/g)].map((x) => x[1]),
    );
    expect(tables).toEqual(expect.arrayContaining(created));
  });

  it("applies nothing and changes nothing on a second run", async () => {
    const migrations = await loadMigrations();
    await applyMigrations(client, migrations);
    const before = await schemaSnapshot();
    const bookkeeping = (await client.execute("SELECT name, applied_at FROM __meterline_migrations")).rows;
    expect(await applyMigrations(client, migrations)).toEqual({ applied: [] });
    expect(await schemaSnapshot()).toEqual(before);
    expect((await client.execute("SELECT name, applied_at FROM __meterline_migrations")).rows).toEqual(
      bookkeeping,
    );
  });

  it("applies pending migrations in name order, whatever order they are given in", async () => {
    const a = { name: "0001_a", sql: "CREATE TABLE a (id INTEGER PRIMARY KEY);" };
    // Needs table a, so it only succeeds if 0001_a ran first.
    const b = {
      name: "0002_b",
      sql: "CREATE TABLE b (id INTEGER);--> statement-breakpoint\nINSERT INTO a VALUES (2);",
    };
    expect(await applyMigrations(client, [b, a])).toEqual({ applied: ["0001_a", "0002_b"] });
    const c = { name: "0003_c", sql: "INSERT INTO a VALUES (3);" };
    expect(await applyMigrations(client, [c, b, a])).toEqual({ applied: ["0003_c"] });
    expect((await client.execute("SELECT count(*) AS n FROM a")).rows[0]?.n).toBe(2);
  });

  it("rolls a failing migration back entirely, bookkeeping included", async () => {
    const broken = {
      name: "0001_broken",
      sql: "CREATE TABLE half (id INTEGER);--> statement-breakpoint\nINSERT INTO no_such_table VALUES (1);",
    };
    await expect(applyMigrations(client, [broken])).rejects.toThrow(/0001_broken failed and was rolled back/);
    expect(await tableNames()).not.toContain("half");
    expect((await client.execute("SELECT count(*) AS n FROM __meterline_migrations")).rows[0]?.n).toBe(0);
  });

  it("keeps foreign keys enforced after migrating", async () => {
    await applyMigrations(client, await loadMigrations());
    const insertOrphan = client.execute(
      "INSERT INTO agents (id, line_id, name, destination, updated_at) VALUES ('a1', 'missing', 'Ann', '+15550100', 0)",
    );
    await expect(insertOrphan).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
  });
});

describe("splitStatements", () => {
  it("splits on drizzle's breakpoint marker and drops empty pieces", () => {
    expect(
      splitStatements("CREATE TABLE a (x);--> statement-breakpoint\nCREATE INDEX i ON a (x);\n"),
    ).toEqual(["CREATE TABLE a (x);", "CREATE INDEX i ON a (x);"]);
  });
});
