/**
 * Small helpers for the card adapters' raw SQL (the atomic operations are easier to read, and to
 * trust, as SQL than as query-builder chains): typed column reads from a libSQL row.
 */
import type { Row, Value } from "@libsql/client";

const text = (v: Value | undefined): string | null =>
  typeof v === "string" ? v : typeof v === "number" || typeof v === "bigint" ? String(v) : null;

export const num = (row: Row | undefined, column: string): number => Number(row?.[column] ?? 0);
export const numOrNull = (row: Row | undefined, column: string): number | null =>
  row?.[column] === null || row?.[column] === undefined ? null : Number(row[column]);
export const str = (row: Row | undefined, column: string): string => text(row?.[column]) ?? "";
export const strOrNull = (row: Row | undefined, column: string): string | null => text(row?.[column]);
export const bool = (row: Row | undefined, column: string): boolean => Number(row?.[column] ?? 0) !== 0;
