/**
 * A synthetic rate deck for the bench: `size` distinct prefixes under ~200 real-looking country
 * codes (1–3 digits), each extended by 1–6 more digits, with rates; and numbers to look up (most
 * start with a deck prefix, some match nothing). Seeded, so a run repeats.
 */
import type { RateRow } from "../../src/products/calling-card/rating/rate-table";

function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function syntheticDeck(size: number, seed = 7): { rows: RateRow[]; numbers: string[] } {
  const rand = prng(seed);
  const digit = () => String(Math.floor(rand() * 10));
  const countries = new Set<string>(["1", "7"]);
  while (countries.size < 200)
    countries.add(`${1 + Math.floor(rand() * 9)}${digit()}${rand() < 0.5 ? digit() : ""}`);
  const codes = [...countries];
  const prefixes = new Set<string>(codes);
  while (prefixes.size < size) {
    let p = codes[Math.floor(rand() * codes.length)]!;
    const extra = 1 + Math.floor(rand() * 6);
    for (let i = 0; i < extra; i++) p += digit();
    prefixes.add(p);
  }
  const rows = [...prefixes].map((prefix) => ({
    prefix,
    destination: `Destination ${prefix}`,
    sellRate: 10_000 + Math.floor(rand() * 500_000),
    buyRate: 5_000 + Math.floor(rand() * 200_000),
    firstBlockSec: 60,
    stepSec: 60,
    connectFee: 0,
    validFrom: null,
    validTo: null,
  }));
  const list = [...prefixes];
  const numbers = Array.from({ length: 10_000 }, () => {
    let n = rand() < 0.9 ? list[Math.floor(rand() * list.length)]! : `${1 + Math.floor(rand() * 9)}`;
    while (n.length < 11 + Math.floor(rand() * 4)) n += digit();
    return n;
  });
  return { rows, numbers };
}
