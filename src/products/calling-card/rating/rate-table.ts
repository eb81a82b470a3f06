/**
 * Longest-prefix match over a rate deck, in memory: a digit trie in typed arrays (a block of ten
 * Int32 child slots per node that has children), built once per deck version. A lookup walks the number's digits from the root
 * and remembers the deepest node with a rate valid at the call's time — at most 15 steps, no
 * allocation, no query (a 100 000-prefix deck is rated in well under a microsecond).
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
  /** Distinct prefixes. */
  size: number;
  /** Trie nodes: 8 bytes each, and 40 more for each node that has children. */
  nodes: number;
  /** The rate for an E.164 number's digits (no "+") at `at`, or null when no prefix matches. */
  lookup(digits: string, at: number): RateRow | null;
}

const validAt = (row: RateRow, at: number): boolean =>
  (row.validFrom === null || at >= row.validFrom) && (row.validTo === null || at < row.validTo);

export function buildRateTable(rows: readonly RateRow[]): RateTable {
  // node n is nodes[2n] (its block of ten child slots in `children`, or -1 for a leaf) and
  // nodes[2n+1] (its list of rates, or -1). Only nodes with children own a block, most nodes are
  // leaves, and a lookup reads two words per digit and one rate at the end: memory latency, not
  // arithmetic, is what a lookup costs, so it touches as little as it can.
  let nodeWords: Int32Array<ArrayBuffer> = new Int32Array(2048).fill(-1);
  let children: Int32Array<ArrayBuffer> = new Int32Array(10 * 256).fill(-1);
  let nodes = 1;
  let blocks = 0;
  /** Per prefix: its rates; `always` is the rate when there is one with no validity window. */
  const lists: { rows: RateRow[]; always: RateRow | null }[] = [];
  const grown = (a: Int32Array<ArrayBuffer>, need: number): Int32Array<ArrayBuffer> => {
    if (need <= a.length) return a;
    const more = new Int32Array(Math.max(need, a.length * 2)).fill(-1);
    more.set(a);
    return more;
  };
  const childOf = (node: number, d: number): number => {
    let b = nodeWords[2 * node]!;
    if (b < 0) {
      b = blocks++;
      children = grown(children, blocks * 10);
      nodeWords[2 * node] = b;
    }
    let next = children[b * 10 + d]!;
    if (next < 0) {
      next = nodes++;
      nodeWords = grown(nodeWords, nodes * 2);
      children[b * 10 + d] = next;
    }
    return next;
  };
  for (const row of rows) {
    let node = 0;
    for (let i = 0; i < row.prefix.length; i++) node = childOf(node, row.prefix.charCodeAt(i) - 48);
    let list = nodeWords[2 * node + 1]!;
    if (list < 0) {
      list = lists.length;
      lists.push({ rows: [], always: null });
      nodeWords[2 * node + 1] = list;
    }
    const entry = lists[list]!;
    entry.rows.push(row);
    entry.always = entry.rows.length === 1 && row.validFrom === null && row.validTo === null ? row : null;
  }
  const words = nodeWords;
  const slots = children;
  /** 1 where a prefix's rates have validity windows (checked during the walk; rare). */
  const windowed = Uint8Array.from(lists, (l) => (l.always ? 0 : 1));

  function validRow(list: number, at: number): RateRow | null {
    for (const row of lists[list]!.rows) if (validAt(row, at)) return row;
    return null;
  }

  function lookup(digits: string, at: number): RateRow | null {
    let best = -1;
    let bestRow: RateRow | null = null;
    let node = 0;
    for (let i = 0; i < digits.length; i++) {
      const d = digits.charCodeAt(i) - 48;
      const b = words[2 * node]!;
      if (d < 0 || d > 9 || b < 0) break;
      node = slots[b * 10 + d]!;
      if (node < 0) break;
      const list = words[2 * node + 1]!;
      if (list < 0) continue;
      if (windowed[list] === 0) {
        best = list;
        bestRow = null;
      } else {
        const row = validRow(list, at);
        if (row) {
          best = -1;
          bestRow = row;
        }
      }
    }
    return bestRow ?? (best >= 0 ? lists[best]!.always : null);
  }
  return { size: lists.length, nodes, lookup };
}
