/**
 * PinBatchJob: one Durable Object per batch being generated. Its alarm fills the batch a chunk at a
 * time (draw PINs, seal them, insert them under their positions, redraw the few that collided with
 * an existing PIN), so a batch of a million PINs never runs in one request, survives restarts (the
 * position is in storage, and a chunk re-run after a crash skips what it already wrote), and
 * reports progress: done / total, PINs per second, ETA. The batch becomes usable ("ready") only
 * once every position holds a PIN.
 */
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../../../config";
import { createDb } from "../../../db/client";
import { insertStatements, missingPositions, sealPins } from "../db/pin-store";
import { generateDistinctPins } from "../pins/pin-codes";
import { pinKeys } from "../pins/pin-crypto";

export const CHUNK = 10_000;
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
      await this.fillChunk(state);
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

  private async fillChunk(state: JobState): Promise<void> {
    const cfg = loadConfig(this.env);
    const db = createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN).$client;
    const keys = await pinKeys(cfg.PIN_HMAC_KEY, cfg.PIN_ENCRYPTION_KEY);
    const from = state.nextSeq;
    const to = Math.min(state.total, from + CHUNK - 1);
    // The whole chunk at once; only when some rows were refused (a PIN that exists elsewhere, or
    // positions a run before a restart already filled) are the missing positions looked up.
    let missing = Array.from({ length: to - from + 1 }, (_, i) => from + i);
    for (let i = 0; i < MAX_REDRAWS && missing.length > 0; i++) {
      const drawn = generateDistinctPins(missing.length).map((pin, j) => ({ seq: missing[j]!, pin }));
      const results = await db.batch(insertStatements(state.batchId, await sealPins(keys, drawn)), "write");
      const written = results.reduce((sum, r) => sum + r.rowsAffected, 0);
      missing = written === missing.length ? [] : await missingPositions(db, state.batchId, from, to);
    }
    if (missing.length === 0) state.nextSeq = to + 1;
    if (state.nextSeq > state.total) {
      await db.execute({
        sql: "UPDATE cc_batches SET status = 'ready', source = 'generated', updated_at = ? WHERE id = ? AND status = 'generating'",
        args: [Date.now(), state.batchId],
      });
      state.status = "done";
    }
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
