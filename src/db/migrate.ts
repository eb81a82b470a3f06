/**
 * Applies drizzle-kit's SQL migrations through any @libsql/client Client (Worker, Node, tests).
 * Each pending migration runs as one transaction together with its bookkeeping row, so a failure
 * leaves no half-applied migration. It reads no files (workerd has no fs): callers pass the SQL.
 */
import type { Client } from "@libsql/client";

export interface Migration {
  /** Unique and sortable, e.g. "0000_init"; migrations apply in this order. */
  name: string;
  sql: string;
}

const TABLE = "__meterline_migrations";
const BREAKPOINT = "--> statement-breakpoint";

export function splitStatements(sql: string): string[] {
  return sql
    .split(BREAKPOINT)
    .map((statement) => statement.trim())
    .filter((statement) => statement !== "");
}

async function appliedNames(client: Client): Promise<Set<string>> {
  const result = await client.execute(`SELECT name FROM ${TABLE}`);
  return new Set(result.rows.flatMap((row) => (typeof row.name === "string" ? [row.name] : [])));
}

export async function applyMigrations(
  client: Client,
  migrations: Migration[],
): Promise<{ applied: string[] }> {
  await client.execute(
    `CREATE TABLE IF NOT EXISTS ${TABLE} (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)`,
  );
  const done = await appliedNames(client);
  const pending = [...migrations]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .filter((m) => !done.has(m.name));
  const applied: string[] = [];
  for (const migration of pending) {
    // The bookkeeping row goes first: if another runner got here before us, its primary key fails
    // and the whole transaction rolls back before any DDL runs twice.
    const statements = [
      { sql: `INSERT INTO ${TABLE} (name, applied_at) VALUES (?, ?)`, args: [migration.name, Date.now()] },
      ...splitStatements(migration.sql),
    ];
    try {
      // migrate() turns foreign keys off around the transaction, as drizzle's table rebuilds need.
      await client.migrate(statements);
    } catch (error) {
      if ((await appliedNames(client)).has(migration.name)) continue;
      throw new Error(`Migration ${migration.name} failed and was rolled back`, { cause: error });
    }
    applied.push(migration.name);
  }
  return { applied };
}
