/**
 * Test data in the real libSQL database: one line (unique number per test, since every test
 * file shares the database) with its reps, and a reader for the call records the engine writes.
 */
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { createDb, schema } from "../../../src/db/client";

export const db = () => createDb(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN);

let seq = 0;
export function uniqueNumber(prefix = "+1555"): string {
  seq += 1;
  return `${prefix}${String(Date.now() % 1_000_000).padStart(6, "0")}${String(seq % 10)}`.slice(0, 15);
}

export interface SeededLine {
  id: string;
  number: string;
  agents: { id: string; destination: string }[];
}

export async function seedLine(
  product: string,
  config: Record<string, unknown>,
  agents: { name?: string; priority?: number; status?: "available" | "offline" }[] = [{}],
): Promise<SeededLine> {
  const id = `ln_t_${crypto.randomUUID().slice(0, 12)}`;
  const number = `+1999${Math.floor(Math.random() * 1e10)
    .toString()
    .padStart(10, "0")}`.slice(0, 15);
  const now = Date.now();
  await db()
    .insert(schema.lines)
    .values({ id, number, name: `test ${id}`, product, config, updatedAt: now });
  const rows = agents.map((a, i) => ({
    id: `ag_t_${crypto.randomUUID().slice(0, 12)}`,
    lineId: id,
    name: a.name ?? `Rep ${i + 1}`,
    destination: `+1888${Math.floor(Math.random() * 1e7)
      .toString()
      .padStart(7, "0")}`,
    priority: a.priority ?? i + 1,
    status: a.status ?? ("available" as const),
    updatedAt: now,
  }));
  if (rows.length) await db().insert(schema.agents).values(rows);
  return { id, number, agents: rows.map((r) => ({ id: r.id, destination: r.destination })) };
}

export async function callRecord(callId: string) {
  return (await db().select().from(schema.calls).where(eq(schema.calls.id, callId)))[0] ?? null;
}

export async function callTimeline(callId: string) {
  return db().select().from(schema.callEvents).where(eq(schema.callEvents.callId, callId));
}

export async function paymentsOf(callId: string) {
  return db().select().from(schema.payments).where(eq(schema.payments.callId, callId));
}
