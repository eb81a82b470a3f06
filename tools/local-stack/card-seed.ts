/**
 * Calling-card demo data for the local stack: a small USD rate deck, a plan with a package (free
 * minutes to France and Germany) and a monthly maintenance fee, a ready batch with three known PINs
 * (stored as the product stores them: keyed hash + ciphertext, under the local stack's keys), and
 * destinations the Telnyx stand-in answers, or finds busy, unanswered or unknown. Fixed ids and ON
 * CONFLICT DO NOTHING: a second `npm start` changes nothing.
 */
import type { Client } from "@libsql/client";
import { insertStatements, sealPins } from "../../src/products/calling-card/db/pin-store";
import { pinKeys } from "../../src/products/calling-card/pins/pin-crypto";
import type { AgentPolicy } from "../telnyx-standin/types";

/** Known demo PINs: never use anything like them for real cards. */
export const DEMO_PINS = ["111122223333", "444455556666", "777788889999"];
export const DEMO_CARD_BATCH = "pb_demo_cards";
export const DEMO_DECK = "demo-usd";

const DAY = 86_400_000;
// prettier-ignore
const RATES: [string, string, number, number, number, number][] = [
  // prefix, destination, sell and buy in micro-USD per minute, first block, increment
  ["1", "USA and Canada", 20_000, 5_000, 60, 60],
  ["44", "United Kingdom", 60_000, 20_000, 60, 60],
  ["447", "United Kingdom mobile", 150_000, 90_000, 30, 6],
  ["33", "France", 50_000, 15_000, 60, 1],
  ["49", "Germany", 50_000, 15_000, 60, 1],
];

/** How the demo destinations behave when a card dials them. */
export const DEMO_DESTINATIONS: Record<string, AgentPolicy> = {
  "+442079460000": { kind: "answer", ringMs: 3000, hangupAfterMs: 60_000 },
  "+33142278186": { kind: "answer", ringMs: 2000, hangupAfterMs: 45_000 },
  "+15550300111": { kind: "busy" },
  "+15550300222": { kind: "no_answer" },
  "+15550300333": { kind: "not_found" },
};

export async function seedCardDemo(
  client: Client,
  keys: { hmac: string; aes: string },
  now: number,
): Promise<void> {
  const existing = await client.execute({
    sql: "SELECT 1 FROM cc_batches WHERE id = ?",
    args: [DEMO_CARD_BATCH],
  });
  if (existing.rows.length) return;
  const sealed = await sealPins(
    await pinKeys(keys.hmac, keys.aes),
    DEMO_PINS.map((pin, i) => ({ seq: i + 1, pin })),
  );
  await client.batch(
    [
      {
        sql: "INSERT INTO cc_deck_versions (id, deck, currency, valid_from, status, row_count, created_at) VALUES ('rd_demo_1', ?, 'usd', ?, 'ready', ?, ?) ON CONFLICT DO NOTHING",
        args: [DEMO_DECK, now - DAY, RATES.length, now],
      },
      ...RATES.map(([prefix, destination, sell, buy, first, step], i) => ({
        sql: `INSERT INTO cc_rates (version_id, line, prefix, destination, sell_rate, buy_rate, first_block_sec, step_sec, connect_fee)
              VALUES ('rd_demo_1', ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT DO NOTHING`,
        args: [i + 2, prefix, destination, sell, buy, first, step],
      })),
      {
        sql: "INSERT INTO cc_plans (id, name, currency, period_unit, period_count, rate_deck, created_at) VALUES ('pl_demo', 'Demo monthly card', 'usd', 'month', 1, ?, ?) ON CONFLICT DO NOTHING",
        args: [DEMO_DECK, now],
      },
      {
        sql: `INSERT INTO cc_packages (id, plan_id, name, prefixes, free_seconds) VALUES ('pk_demo_eu', 'pl_demo', 'Europe: 10 free minutes a month', '["33","49"]', 600) ON CONFLICT DO NOTHING`,
        args: [],
      },
      {
        sql: "INSERT INTO cc_charges (id, plan_id, kind, name, amount) VALUES ('ch_demo_fee', 'pl_demo', 'recurring', 'Monthly maintenance fee', 49) ON CONFLICT DO NOTHING",
        args: [],
      },
      {
        sql: `INSERT INTO cc_batches (id, name, currency, face_value, pin_count, effective_at, expires_at, expiry_days, taxable, tax_rate_ppm,
                plan_id, status, source, created_at, updated_at)
              VALUES (?, 'Demo 5 dollar cards', 'usd', 500, ?, ?, ?, 180, 0, 0, 'pl_demo', 'ready', 'uploaded', ?, ?) ON CONFLICT DO NOTHING`,
        args: [DEMO_CARD_BATCH, DEMO_PINS.length, now - DAY, now + 730 * DAY, now, now],
      },
      ...insertStatements(DEMO_CARD_BATCH, sealed),
    ],
    "write",
  );
}
