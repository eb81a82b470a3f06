/**
 * Converts between Hrana's typed wire values and what the `libsql` engine binds and returns, and
 * turns engine errors into Hrana error objects. The connection runs with safe integers, so an
 * INTEGER is always a bigint and a REAL always a number: the two never blur.
 */
import type { WireError, WireValue } from "./protocol";

export type SqlValue = null | bigint | number | string | Buffer;

export function fromWire(value: WireValue): SqlValue {
  switch (value.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(value.value);
    case "float":
      return value.value;
    case "text":
      return value.value;
    case "blob":
      return Buffer.from(value.base64, "base64");
  }
}

export function toWire(value: unknown): WireValue {
  if (value === null || value === undefined) return { type: "null" };
  if (typeof value === "bigint") return { type: "integer", value: value.toString() };
  if (typeof value === "number") {
    // JSON has no Infinity/NaN; SQLite stores NaN as NULL anyway, so NULL is the honest answer.
    return Number.isFinite(value) ? { type: "float", value } : { type: "null" };
  }
  if (typeof value === "string") return { type: "text", value };
  if (value instanceof Uint8Array) return { type: "blob", base64: Buffer.from(value).toString("base64") };
  throw new Error(`unexpected value type from the engine: ${typeof value}`);
}

/**
 * sqld and Turso report the primary result code ("SQLITE_CONSTRAINT"), not the extended one the
 * engine gives ("SQLITE_CONSTRAINT_PRIMARYKEY"); match them so app code behaves the same in both.
 */
export function toWireError(error: unknown): WireError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code === "string" && code.startsWith("SQLITE_")) {
      return { message: `SQLite error: ${error.message}`, code: code.split("_").slice(0, 2).join("_") };
    }
    return { message: error.message, code: "SQL_ERROR" };
  }
  return { message: String(error), code: "SQL_ERROR" };
}
