/**
 * Turso access for the Worker and its Durable Objects: the web build of @libsql/client (HTTP,
 * no Node APIs) wrapped by drizzle. A new client per caller, never one shared by the isolate:
 * the client queues requests past its concurrency limit on promises, and workerd refuses to
 * settle a promise of one Durable Object (or request) from another — with 50 calls of one
 * customer in one isolate, a shared client hung them. Creating one is cheap (no connection).
 * Each CallSession keeps its own for its life.
 */
import { createClient, type Client } from "@libsql/client/web";
import type { LibSQLDatabase } from "drizzle-orm/libsql";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema";

export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

export function createDb(url: string, authToken: string): Db {
  const client = createClient({ url, authToken: authToken || undefined });
  return drizzle<typeof schema, Client>(client, { schema });
}

export { schema };
