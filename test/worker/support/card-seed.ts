/**
 * Calling-card test data in the real libSQL database: a plan with a rate deck, a ready batch with
 * known PINs (sealed with the test bindings' keys, as the product stores them), an access line.
 * Names are unique per call, since every test file shares the database.
 */
import { env } from "cloudflare:workers";
import { pinKeys } from "../../../src/products/calling-card/pins/pin-crypto";
import { insertStatements, sealPins } from "../../../src/products/calling-card/db/pin-store";
import type { CardConfigInput } from "../../../src/products/calling-card/config";
import { str, strOrNull } from "../../../src/products/calling-card/db/sql";
import { db, seedLine } from "./seed";

const uid = () => crypto.randomUUID().replaceAll("-", "").slice(0, 12);
const DAY = 86_400_000;

export interface DeckRow {
  prefix: string;
  destination: string;
  /** Decimal strings per minute in the major unit, as a CSV would say them. */
  sell: number;
  buy: number;
  first?: number;
  step?: number;
  connect?: number;
}

/** 12-digit test PINs unique to this run (random, so test files never collide). */
export function testPins(count: number): string[] {
  return Array.from({ length: count }, () =>
    Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => String(b % 10)).join(""),
  );
}

export async function seedDeck(
  rows: DeckRow[],
  currency = "usd",
  validFrom = Date.now() - DAY,
): Promise<string> {
  const deck = `deck_${uid()}`;
  const version = `rd_${uid()}`;
  const client = db().$client;
  await client.batch(
    [
      {
        sql: "INSERT INTO cc_deck_versions (id, deck, currency, valid_from, status, row_count) VALUES (?, ?, ?, ?, 'ready', ?)",
        args: [version, deck, currency, validFrom, rows.length],
      },
      ...rows.map((r, i) => ({
        sql: `INSERT INTO cc_rates (version_id, line, prefix, destination, sell_rate, buy_rate, first_block_sec, step_sec, connect_fee)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        args: [
          version,
          i + 2,
          r.prefix,
          r.destination,
          r.sell,
          r.buy,
          r.first ?? 60,
          r.step ?? 60,
          r.connect ?? 0,
        ],
      })),
    ],
    "write",
  );
  return deck;
}

export interface PlanSeed {
  deck: string;
  currency?: string;
  packages?: { prefixes: string[]; freeSeconds: number }[];
  charges?: { kind: "recurring" | "one_time" | "connection"; amount: number }[];
  period?: { unit: "day" | "week" | "month" | "year"; count: number };
}

export async function seedPlan(plan: PlanSeed): Promise<string> {
  const id = `pl_${uid()}`;
  const client = db().$client;
  await client.batch(
    [
      {
        sql: "INSERT INTO cc_plans (id, name, currency, period_unit, period_count, rate_deck) VALUES (?, ?, ?, ?, ?, ?)",
        args: [
          id,
          `plan ${id}`,
          plan.currency ?? "usd",
          plan.period?.unit ?? "month",
          plan.period?.count ?? 1,
          plan.deck,
        ],
      },
      ...(plan.packages ?? []).map((p, i) => ({
        sql: "INSERT INTO cc_packages (id, plan_id, name, prefixes, free_seconds) VALUES (?, ?, ?, ?, ?)",
        args: [`pk_${uid()}${i}`, id, `package ${i}`, JSON.stringify(p.prefixes), p.freeSeconds],
      })),
      ...(plan.charges ?? []).map((c, i) => ({
        sql: "INSERT INTO cc_charges (id, plan_id, kind, name, amount) VALUES (?, ?, ?, ?, ?)",
        args: [`ch_${uid()}${i}`, id, c.kind, `${c.kind} fee`, c.amount],
      })),
    ],
    "write",
  );
  return id;
}

export interface BatchSeed {
  planId: string | null;
  pins: string[];
  faceValue?: number;
  currency?: string;
  expiryDays?: number;
  effectiveAt?: number;
  expiresAt?: number;
  taxRatePpm?: number;
}

export async function seedBatch(batch: BatchSeed): Promise<string> {
  const id = `pb_${uid()}`;
  const now = Date.now();
  const client = db().$client;
  const keys = await pinKeys(env.PIN_HMAC_KEY, env.PIN_ENCRYPTION_KEY);
  const sealed = await sealPins(
    keys,
    batch.pins.map((pin, i) => ({ seq: i + 1, pin })),
  );
  await client.batch(
    [
      {
        sql: `INSERT INTO cc_batches (id, name, currency, face_value, pin_count, effective_at, expires_at, expiry_days,
                taxable, tax_name, tax_rate_ppm, plan_id, status, source, updated_at)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ready', 'uploaded', ?)`,
        args: [
          id,
          `batch ${id}`,
          batch.currency ?? "usd",
          batch.faceValue ?? 500,
          batch.pins.length,
          batch.effectiveAt ?? now - DAY,
          batch.expiresAt ?? now + 365 * DAY,
          batch.expiryDays ?? 90,
          batch.taxRatePpm ? 1 : 0,
          batch.taxRatePpm ? "Test tax" : null,
          batch.taxRatePpm ?? 0,
          batch.planId,
          now,
        ],
      },
      ...insertStatements(id, sealed),
    ],
    "write",
  );
  return id;
}

/** A whole card product: deck → plan → batch with the given PINs → an access line. */
export async function seedCards(opts: {
  deck?: DeckRow[];
  plan?: Omit<PlanSeed, "deck">;
  batch?: Partial<BatchSeed>;
  pins?: string[];
  line?: CardConfigInput;
}) {
  const deck = await seedDeck(
    opts.deck ?? [
      { prefix: "1", destination: "USA", sell: 20_000, buy: 5_000 },
      { prefix: "44", destination: "United Kingdom", sell: 60_000, buy: 20_000 },
      { prefix: "447", destination: "United Kingdom mobile", sell: 150_000, buy: 90_000 },
    ],
  );
  const planId = await seedPlan({ deck, ...opts.plan });
  const pins = opts.pins ?? testPins(3);
  const batchId = await seedBatch({ planId, pins, ...opts.batch });
  const line = await seedLine(
    "calling_card",
    { welcomeText: "Welcome to Meterline Calling.", ...opts.line },
    [],
  );
  return { deck, planId, batchId, pins, line };
}

export async function accountOfPin(batchId: string, seq: number) {
  const rs = await db().$client.execute({
    sql: "SELECT a.* FROM cc_accounts a JOIN cc_pins p ON p.account_id = a.id WHERE p.batch_id = ? AND p.seq = ?",
    args: [batchId, seq],
  });
  const row = rs.rows[0];
  return row
    ? {
        id: str(row, "id"),
        balance: Number(row.balance),
        reserved: Number(row.reserved),
        holds: Number(row.holds),
        activatedAt: Number(row.activated_at),
        expiresAt: Number(row.expires_at),
      }
    : null;
}

export async function ledgerOf(accountId: string) {
  const rs = await db().$client.execute({
    sql: "SELECT id, amount, tax_amount, reason, call_id, balance_after FROM cc_ledger WHERE account_id = ? ORDER BY at, rowid",
    args: [accountId],
  });
  return rs.rows.map((r) => ({
    id: str(r, "id"),
    amount: Number(r.amount),
    reason: str(r, "reason"),
    callId: strOrNull(r, "call_id"),
    balanceAfter: Number(r.balance_after),
  }));
}

export async function cardCallsOf(sessionId: string) {
  const rs = await db().$client.execute({
    sql: "SELECT * FROM cc_card_calls WHERE session_id = ? ORDER BY id",
    args: [sessionId],
  });
  return rs.rows.map((r) => ({ ...r }));
}
