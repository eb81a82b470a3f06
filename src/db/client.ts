/**
 * Turso access for the Worker and its Durable Objects: the web build of @libsql/client (HTTP,
 * no Node APIs) wrapped by drizzle. One client per isolate and URL; creating one is cheap.
 */
import { createClient, type Client } from "@libsql/client/web";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema";

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

const clients = new Map<string, Db>();

export function createDb(url: string, authToken: string): Db {
  const key = `${url}\n${authToken}`;
  let db = clients.get(key);
  if (!db) {
    const client = createClient({ url, authToken: authToken || undefined });
    db = drizzle<typeof schema, Client>(client, { schema });
    clients.set(key, db);
  }
  return db;
}

export { schema };
