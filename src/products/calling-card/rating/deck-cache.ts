/**
 * The rate decks in memory, per isolate: the deck's current version is asked of Turso (one small
 * indexed query: the ready version with the latest valid_from ≤ now, so a new version takes over
 * atomically at its valid-from time), and its table is built once per version id and kept. A new
 * version id is a new entry; older ones are dropped, so memory holds what calls use.
 */
import type { Client } from "@libsql/client";
import { buildRateTable, type RateRow, type RateTable } from "./rate-table";
import { num, numOrNull, str } from "../db/sql";

export interface DeckVersion {
  id: string;
  deck: string;
  currency: string;
  validFrom: number;
}

const tables = new Map<string, Promise<RateTable>>();
const MAX_CACHED = 4;
const PAGE = 20_000;

export async function currentVersion(client: Client, deck: string, at: number): Promise<DeckVersion | null> {
  const rs = await client.execute({
    sql: `SELECT id, deck, currency, valid_from FROM cc_deck_versions
          WHERE deck = ? AND status = 'ready' AND valid_from <= ? ORDER BY valid_from DESC, created_at DESC LIMIT 1`,
    args: [deck, at],
  });
  const row = rs.rows[0];
  return row
    ? {
        id: str(row, "id"),
        deck: str(row, "deck"),
        currency: str(row, "currency"),
        validFrom: num(row, "valid_from"),
      }
    : null;
}

/** Every rate of a version, read in pages of the (version, line) index. */
export async function loadRates(client: Client, versionId: string): Promise<RateRow[]> {
  const rows: RateRow[] = [];
  for (let after = -1; ;) {
    const rs = await client.execute({
      sql: `SELECT line, prefix, destination, sell_rate, buy_rate, first_block_sec, step_sec, connect_fee, valid_from, valid_to
            FROM cc_rates WHERE version_id = ? AND line > ? ORDER BY line LIMIT ${PAGE}`,
      args: [versionId, after],
    });
    for (const r of rs.rows)
      rows.push({
        prefix: str(r, "prefix"),
        destination: str(r, "destination"),
        sellRate: num(r, "sell_rate"),
        buyRate: num(r, "buy_rate"),
        firstBlockSec: num(r, "first_block_sec"),
        stepSec: num(r, "step_sec"),
        connectFee: num(r, "connect_fee"),
        validFrom: numOrNull(r, "valid_from"),
        validTo: numOrNull(r, "valid_to"),
      });
    if (rs.rows.length < PAGE) return rows;
    after = num(rs.rows[rs.rows.length - 1], "line");
  }
}

export function rateTableFor(client: Client, version: DeckVersion): Promise<RateTable> {
  let table = tables.get(version.id);
  if (!table) {
    table = loadRates(client, version.id).then(buildRateTable);
    void table.catch(() => tables.delete(version.id));
    tables.set(version.id, table);
    while (tables.size > MAX_CACHED) tables.delete(tables.keys().next().value!);
  }
  return table;
}
