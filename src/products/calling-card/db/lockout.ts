/**
 * The PIN lockout: 5 refused PINs within 24 hours for one caller number or one PIN (by its keyed
 * hash) lock that key for 24 hours. Failures are rows (counted in a sliding 24-hour window), the
 * lock is its own row with an end, so it lasts its full 24 hours and then simply ends. A successful
 * PIN does not reset the count: one valid card must not buy an attacker fresh guesses.
 */
import type { Client } from "@libsql/client";
import { num } from "./sql";

export const MAX_FAILURES = 5;
export const WINDOW_MS = 24 * 3_600_000;
export const LOCK_MS = 24 * 3_600_000;

export const callerKey = (number: string) => `caller:${number || "anonymous"}`;
export const pinKey = (hash: string) => `pin:${hash}`;

/** The latest end of an active lock on any of the keys, or null. */
export async function lockedUntil(client: Client, keys: string[], now: number): Promise<number | null> {
  const rs = await client.execute({
    sql: `SELECT max(locked_until) AS until FROM cc_pin_lockouts WHERE key IN (${keys.map(() => "?").join(",")}) AND locked_until > ?`,
    args: [...keys, now],
  });
  const until = rs.rows[0]?.until;
  return until === null || until === undefined ? null : Number(until);
}

/** Counts one failure against each key; returns the lock's end if one now applies. */
export async function recordFailure(client: Client, keys: string[], now: number): Promise<number | null> {
  const statements = keys.flatMap((key) => [
    { sql: "INSERT INTO cc_pin_failures (key, at) VALUES (?, ?)", args: [key, now] },
    {
      sql: `INSERT INTO cc_pin_lockouts (key, locked_until)
            SELECT ?, ? WHERE (SELECT count(*) FROM cc_pin_failures WHERE key = ? AND at > ?) >= ?
            ON CONFLICT (key) DO UPDATE SET locked_until = max(locked_until, excluded.locked_until)`,
      args: [key, now + LOCK_MS, key, now - WINDOW_MS, MAX_FAILURES],
    },
  ]);
  await client.batch(statements, "write");
  return lockedUntil(client, keys, now);
}

/** How many failures a key has in the window (for the API and tests). */
export async function failuresOf(client: Client, key: string, now: number): Promise<number> {
  const rs = await client.execute({
    sql: "SELECT count(*) AS n FROM cc_pin_failures WHERE key = ? AND at > ?",
    args: [key, now - WINDOW_MS],
  });
  return num(rs.rows[0], "n");
}
