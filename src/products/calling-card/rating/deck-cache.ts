/**
 * The rate decks in memory, per isolate: the deck's current version is asked of Turso (one small
 * indexed query: the ready version with the latest valid_from ≤ now, so a new version takes over
 * atomically at its valid-from time), and its table is built once per version id and kept. A new
 * version id is a new entry; older ones are dropped, so memory holds what calls use.
 */
import type { Client } from "@libsql/client";
import { buildRateTable, type RateRow, type RateTable } from "./rate-table";
import { num, str } from "../db/sql";

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

const US = String.fromCharCode(31);
const RS = String.fromCharCode(30);

/**
 * Every rate of a version, read in pages of the (version, line) index. Each page comes back as one
 * string (fields joined by the unit separator, rows by the record separator: destination names
 * hold no control characters): 100 000 rows as row objects over HTTP take seconds, as one string
 * a tenth of that.
 */
export async function loadRates(client: Client, versionId: string): Promise<RateRow[]> {
  const rows: RateRow[] = [];
  for (let after = -1; ;) {
    const rs = await client.execute({
      sql: `SELECT max(line) AS last, count(*) AS n, group_concat(rec, char(30)) AS page FROM (
              SELECT line, prefix || char(31) || destination || char(31) || sell_rate || char(31) || buy_rate || char(31) ||
                first_block_sec || char(31) || step_sec || char(31) || connect_fee || char(31) ||
                coalesce(valid_from, '') || char(31) || coalesce(valid_to, '') AS rec
              FROM cc_rates WHERE version_id = ? AND line > ? ORDER BY line LIMIT ${PAGE})`,
      args: [versionId, after],
    });
    const row = rs.rows[0];
    const n = num(row, "n");
    if (n > 0)
      for (const rec of str(row, "page").split(RS)) {
        const f = rec.split(US);
        rows.push({
          prefix: f[0]!,
          destination: f[1]!,
          sellRate: Number(f[2]),
          buyRate: Number(f[3]),
          firstBlockSec: Number(f[4]),
          stepSec: Number(f[5]),
          connectFee: Number(f[6]),
          validFrom: f[7] ? Number(f[7]) : null,
          validTo: f[8] ? Number(f[8]) : null,
        });
      }
    if (n < PAGE) return rows;
    after = num(row, "last");
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
