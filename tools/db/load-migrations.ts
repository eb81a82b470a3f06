/**
 * Reads drizzle-kit's migrations/*.sql for Node callers (CLI, tests, local stack) in name order,
 * in the shape src/db/migrate.ts applies. Reading only: it never touches a database.
 */
import { readdir, readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { join } from "node:path";
import type { Migration } from "../../src/db/migrate";

export const defaultMigrationsDir = fileURLToPath(new URL("../../migrations", import.meta.url));

export async function loadMigrations(dir = defaultMigrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".sql")).sort();
  return Promise.all(
    files.map(async (file) => ({
      name: file.slice(0, -".sql".length),
      sql: await readFile(join(dir, file), "utf8"),
    })),
  );
}
