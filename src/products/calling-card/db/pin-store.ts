/**
 * Writing PINs to a batch: each PIN becomes its keyed hash and its ciphertext (never stored in
 * clear), inserted under its position (seq) in the batch. The unique hash index makes every PIN
 * unique across all batches: a PIN that already exists anywhere is skipped, and the caller fills
 * its position with a fresh one. Inserting one position twice (a retried chunk) is a no-op.
 */
import type { Client } from "@libsql/client";
import { encryptPin, pinHash, type PinKeys } from "../pins/pin-crypto";
import { num, str } from "./sql";

const ROWS_PER_STATEMENT = 200;

export interface SealedPin {
  seq: number;
  hash: string;
  enc: string;
}

export async function sealPins(keys: PinKeys, pins: { seq: number; pin: string }[]): Promise<SealedPin[]> {
  return Promise.all(
    pins.map(async ({ seq, pin }) => ({
      seq,
      hash: await pinHash(keys, pin),
      enc: await encryptPin(keys, pin),
    })),
  );
}

export function insertStatements(batchId: string, sealed: SealedPin[]) {
  const statements = [];
  for (let i = 0; i < sealed.length; i += ROWS_PER_STATEMENT) {
    const part = sealed.slice(i, i + ROWS_PER_STATEMENT);
    statements.push({
      sql: `INSERT INTO cc_pins (batch_id, seq, pin_hash, pin_enc) VALUES ${part.map(() => "(?, ?, ?, ?)").join(", ")} ON CONFLICT DO NOTHING`,
      args: part.flatMap((p) => [batchId, p.seq, p.hash, p.enc]),
    });
  }
  return statements;
}

/** Positions in [from, to] that hold no PIN yet. */
export async function missingPositions(
  client: Client,
  batchId: string,
  from: number,
  to: number,
): Promise<number[]> {
  const rs = await client.execute({
    sql: "SELECT seq FROM cc_pins WHERE batch_id = ? AND seq BETWEEN ? AND ? ORDER BY seq",
    args: [batchId, from, to],
  });
  const have = new Set(rs.rows.map((r) => num(r, "seq")));
  const missing: number[] = [];
  for (let seq = from; seq <= to; seq++) if (!have.has(seq)) missing.push(seq);
  return missing;
}

/** Which of these hashes already belong to a PIN (in any batch). */
export async function existingHashes(client: Client, hashes: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < hashes.length; i += 500) {
    const part = hashes.slice(i, i + 500);
    const rs = await client.execute({
      sql: `SELECT pin_hash FROM cc_pins WHERE pin_hash IN (${part.map(() => "?").join(",")})`,
      args: part,
    });
    for (const r of rs.rows) found.add(str(r, "pin_hash"));
  }
  return found;
}
