/**
 * `npx tsx tools/db/migrate-cli.ts`: applies pending migrations/*.sql to the database named by
 * TURSO_DATABASE_URL (and TURSO_AUTH_TOKEN, empty for the local server), printing what it applied.
 * Never prints the token.
 */
import { createClient } from "@libsql/client";
import { applyMigrations } from "../../src/db/migrate";
import { loadMigrations } from "./load-migrations";

const url = process.env.TURSO_DATABASE_URL;
if (!url) {
  console.error("TURSO_DATABASE_URL is not set");
  process.exit(2);
}
const client = createClient({ url, authToken: process.env.TURSO_AUTH_TOKEN || undefined });
try {
  const { applied } = await applyMigrations(client, await loadMigrations());
  console.log(applied.length === 0 ? "No pending migrations." : `Applied: ${applied.join(", ")}`);
} catch (error) {
  console.error(
    error instanceof Error
      ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ""}`
      : error,
  );
  process.exitCode = 1;
} finally {
  client.close();
}
