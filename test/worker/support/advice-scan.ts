/**
 * Finds card data in text: full card numbers (contiguous, or with spaces/commas/dashes between the
 * digits as a text-to-speech read-back might put them) and CVCs as a standalone number. Also dumps
 * the places card data could leak to: a Durable Object's SQLite tables and the Turso tables.
 */
import { runInDurableObject } from "cloudflare:test";
import { schema } from "../../../src/db/client";
import { db } from "./seed";

export interface Secret {
  label: string;
  digits: string;
  /** pan: long, found anywhere; cvc: a short number of its own; expiry: also its spoken MM/YY form. */
  kind: "pan" | "cvc" | "expiry";
}

const spaced = (digits: string, sep: string) => digits.split("").join(sep);

/**
 * A PAN is 15–16 distinctive digits: any occurrence counts. A CVC is short, so it counts only as a
 * number of its own: not inside a longer token (ids, timestamps, "-947-" UUID segments, ".947" ms).
 */
function patternFor(secret: Secret): RegExp {
  if (secret.kind === "pan") return new RegExp(spaced(secret.digits, "[ ,.-]{0,2}"));
  const alone = `(?<![0-9A-Za-z.-])${spaced(secret.digits, "[ ,]{0,2}")}(?![0-9A-Za-z-])`;
  if (secret.kind !== "expiry") return new RegExp(alone);
  // "month 0 9, year 3 1", "09/31": the forms a read-back or a formatter would give an expiry.
  const [mm, yy] = [secret.digits.slice(0, 2), secret.digits.slice(2)];
  return new RegExp(
    `${alone}|month ${spaced(mm, " ?")},? year ${spaced(yy, " ?")}|(?<![0-9])${mm}/${yy}(?![0-9])`,
  );
}

/** The labels of the secrets found in `text`, each with a short excerpt around the first hit. */
export function cardDataIn(text: string, secrets: Secret[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    const m = patternFor(secret).exec(text);
    if (m)
      found.push(`${secret.label}: …${text.slice(Math.max(0, m.index - 60), m.index + m[0].length + 20)}…`);
  }
  return found;
}

/**
 * Every row of every table in a Durable Object's SQLite storage, and every key-value entry, as JSON
 * lines. `unreadable` names the tables workerd keeps to itself (_cf_*).
 */
export function dumpObjectStorage(
  stub: DurableObjectStub,
): Promise<{ tables: string[]; unreadable: string[]; text: string }> {
  return runInDurableObject(stub, async (_instance, state) => {
    const tables = state.storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
      .toArray()
      .map((r) => r.name);
    const lines: string[] = [];
    const unreadable: string[] = [];
    for (const table of tables) {
      try {
        for (const row of state.storage.sql.exec(`SELECT * FROM "${table}"`).toArray())
          lines.push(`${table} ${JSON.stringify(row)}`);
      } catch {
        unreadable.push(table);
      }
    }
    for (const [key, value] of await state.storage.list()) lines.push(`kv ${key} ${JSON.stringify(value)}`);
    return { tables, unreadable, text: lines.join("\n") };
  });
}

/** Every row of every table the engine writes in Turso, as JSON lines. */
export async function dumpTurso(): Promise<{ counts: Record<string, number>; text: string }> {
  const sources = {
    lines: schema.lines,
    agents: schema.agents,
    calls: schema.calls,
    call_events: schema.callEvents,
    payments: schema.payments,
    payment_events: schema.paymentEvents,
    voicemails: schema.voicemails,
  };
  const counts: Record<string, number> = {};
  const lines: string[] = [];
  for (const [name, table] of Object.entries(sources)) {
    const rows = await db().select().from(table);
    counts[name] = rows.length;
    for (const row of rows) lines.push(`${name} ${JSON.stringify(row)}`);
  }
  return { counts, text: lines.join("\n") };
}
