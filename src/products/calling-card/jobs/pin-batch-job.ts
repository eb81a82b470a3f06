/**
 * PinBatchJob: one Durable Object per batch being generated. Its alarm fills the batch a chunk at a
 * time (draw PINs, seal them, insert them under their positions, redraw the few that collided with
 * an existing PIN), so a batch of a million PINs never runs in one request, survives restarts (the
 * position is in storage, and a chunk re-run after a crash skips what it already wrote), and
 * reports progress: done / total, PINs per second, ETA. The batch becomes usable ("ready") only
 * once every position holds a PIN.
 */
import type { Client } from "@libsql/client";
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../../../config";
import { createDb } from "../../../db/client";
import { insertStatements, missingPositions, sealPins } from "../db/pin-store";
import { generateDistinctPins } from "../pins/pin-codes";
import { pinKeys, type PinKeys } from "../pins/pin-crypto";

export const CHUNK = 10_000;
export const CHUNKS_PER_ALARM = 2;
const RETRY_MS = 10_000;
/** Redraws per chunk before it is left for the next alarm (collisions are rare: ~1 per 10^6). */
const MAX_REDRAWS = 5;

export interface JobProgress {
  batchId: string;
  status: "running" | "done";
  done: number;
  total: number;
  startedAt: number;
  updatedAt: number;
  /** PINs per second since the start. */
  rate: number;
  /** Seconds left at that rate (null until it is known). */
  etaSec: number | null;
  lastError: string | null;
}

interface JobState {
  batchId: string;
  total: number;
  nextSeq: number;
  startedAt: number;
  updatedAt: number;
  status: "running" | "done";
  lastError: string | null;
}

export class PinBatchJob extends DurableObject<Env> {
  /** Starts (or, if already started, keeps) the job for a batch of `total` PINs. */
  async start(batchId: string, total: number): Promise<JobProgress> {
    let state = await this.ctx.storage.get<JobState>("job");
    if (!state) {
      const now = Date.now();
      state = {
        batchId,
        total,
        nextSeq: 1,
        startedAt: now,
        updatedAt: now,
        status: "running",
        lastError: null,
      };
      await this.ctx.storage.put("job", state);
      await this.ctx.storage.setAlarm(now);
    }
    return progressOf(state);
  }

  async progress(): Promise<JobProgress | null> {
    const state = await this.ctx.storage.get<JobState>("job");
    return state ? progressOf(state) : null;
  }

  override async alarm(): Promise<void> {
    const state = await this.ctx.storage.get<JobState>("job");
    if (!state || state.status === "done") return;
    try {
      await this.fillChunks(state);
      state.lastError = null;
    } catch (err) {
      state.lastError = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 200) : "unknown error";
      console.error(
        JSON.stringify({
          level: "error",
          msg: "pin_batch_job_failed",
          batch: state.batchId,
          error: state.lastError,
        }),
      );
    }
    state.updatedAt = Date.now();
    await this.ctx.storage.put("job", state);
    if (state.status === "running")
      await this.ctx.storage.setAlarm(Date.now() + (state.lastError ? RETRY_MS : 0));
  }

  /**
   * Up to CHUNKS_PER_ALARM chunks, the next one drawn and sealed while the current one is written
   * (the database is the slower half); the position is saved after each chunk.
   */
  private async fillChunks(state: JobState): Promise<void> {
    const cfg = loadConfig(this.env);
    const db = createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN).$client;
    const keys = await pinKeys(cfg.PIN_HMAC_KEY, cfg.PIN_ENCRYPTION_KEY);
    const end = (from: number) => Math.min(state.total, from + CHUNK - 1);
    const draw = (from: number, to: number) =>
      sealPins(
        keys,
        generateDistinctPins(to - from + 1).map((pin, j) => ({ seq: from + j, pin })),
      );
    let next = draw(state.nextSeq, end(state.nextSeq));
    for (let n = 0; n < CHUNKS_PER_ALARM && state.nextSeq <= state.total; n++) {
      const from = state.nextSeq;
      const to = end(from);
      const sealed = await next;
      const writing = db.batch(insertStatements(state.batchId, sealed), "write");
      const following = to + 1 <= state.total && n + 1 < CHUNKS_PER_ALARM;
      next = following ? draw(to + 1, end(to + 1)) : Promise.resolve([]);
      const written = (await writing).reduce((sum, r) => sum + r.rowsAffected, 0);
      // Rows refused (a PIN that exists elsewhere, or positions a run before a restart already
      // filled): only then are the missing positions looked up and drawn again.
      if (written < sealed.length && !(await this.redraw(db, keys, state.batchId, from, to))) break;
      state.nextSeq = to + 1;
      state.updatedAt = Date.now();
      await this.ctx.storage.put("job", state);
    }
    if (state.nextSeq > state.total) {
      await db.execute({
        sql: "UPDATE cc_batches SET status = 'ready', source = 'generated', updated_at = ? WHERE id = ? AND status = 'generating'",
        args: [Date.now(), state.batchId],
      });
      state.status = "done";
    }
  }

  /** Fills the positions of [from, to] that hold no PIN; false if some are still empty. */
  private async redraw(
    db: Client,
    keys: PinKeys,
    batchId: string,
    from: number,
    to: number,
  ): Promise<boolean> {
    for (let i = 0; i < MAX_REDRAWS; i++) {
      const missing = await missingPositions(db, batchId, from, to);
      if (missing.length === 0) return true;
      const drawn = generateDistinctPins(missing.length).map((pin, j) => ({ seq: missing[j]!, pin }));
      await db.batch(insertStatements(batchId, await sealPins(keys, drawn)), "write");
    }
    return (await missingPositions(db, batchId, from, to)).length === 0;
  }
}

function progressOf(state: JobState): JobProgress {
  const done = state.nextSeq - 1;
  const elapsedSec = Math.max(0.001, (state.updatedAt - state.startedAt) / 1000);
  const rate = done > 0 ? Math.round(done / elapsedSec) : 0;
  return {
    batchId: state.batchId,
    status: state.status,
    done,
    total: state.total,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    rate,
    etaSec: state.status === "done" ? 0 : rate > 0 ? Math.ceil((state.total - done) / rate) : null,
    lastError: state.lastError,
  };
}
