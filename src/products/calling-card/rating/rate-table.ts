/**
 * Longest-prefix match over a rate deck, in memory: the prefixes sorted as strings, each with a
 * pointer to its longest proper prefix that is also in the deck. A lookup binary-searches the
 * greatest prefix ≤ the number, then follows parent pointers until one is a prefix of the number —
 * the longest match, since every deck prefix of the number sorts between it and the number
 * (about 17 comparisons and a short walk for 100 000 prefixes; no table scan, no query).
 * A prefix may carry several rates with validity windows; one not valid at the call's time is
 * skipped as if absent, so the next shorter prefix rates the call. Pure.
 */
import type { CallRate } from "./pricing";

export interface RateRow extends CallRate {
  prefix: string;
  destination: string;
  /** Epoch ms, inclusive; null: always. */
  validFrom: number | null;
  /** Epoch ms, exclusive; null: never ends. */
  validTo: number | null;
}

export interface RateTable {
  size: number;
  /** The rate for an E.164 number's digits (no "+") at `at`, or null when no prefix matches. */
  lookup(digits: string, at: number): RateRow | null;
}

const validAt = (row: RateRow, at: number): boolean =>
  (row.validFrom === null || at >= row.validFrom) && (row.validTo === null || at < row.validTo);

export function buildRateTable(rows: readonly RateRow[]): RateTable {
  const byPrefix = new Map<string, RateRow[]>();
  for (const row of rows) {
    const list = byPrefix.get(row.prefix);
    if (list) list.push(row);
    else byPrefix.set(row.prefix, [row]);
  }
  const prefixes = [...byPrefix.keys()].sort();
  const rowsAt = prefixes.map((p) => byPrefix.get(p)!);
  // parent[i]: index of the longest proper prefix of prefixes[i] in the deck, or -1. A stack of the
  // current chain works because sorted order visits a prefix before everything that extends it.
  const parent = new Int32Array(prefixes.length);
  const chain: number[] = [];
  prefixes.forEach((p, i) => {
    while (chain.length && !p.startsWith(prefixes[chain[chain.length - 1]!]!)) chain.pop();
    parent[i] = chain.length ? chain[chain.length - 1]! : -1;
    chain.push(i);
  });

  function lookup(digits: string, at: number): RateRow | null {
    let lo = 0;
    let hi = prefixes.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (prefixes[mid]! <= digits) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = found; i >= 0; i = parent[i]!) {
      if (!digits.startsWith(prefixes[i]!)) continue;
      for (const row of rowsAt[i]!) if (validAt(row, at)) return row;
    }
    return null;
  }
  return { size: prefixes.length, lookup };
}
