/**
 * Hrana streams over one shared SQLite connection: batons (single-use, unguessable), idle expiry,
 * and the ownership that serialises transactions. A stream owns the connection while its pipeline
 * runs and for as long as it then holds an open transaction; every other stream's pipeline queues in
 * acquire() until the owner commits, rolls back, closes or expires. No SQL runs here: an abandoned
 * transaction is ended through a callback.
 */
import { randomBytes } from "node:crypto";
import { HranaHttpError } from "./protocol";
import type { SqlStore } from "./executor";

export interface Stream {
  readonly id: number;
  readonly sqls: SqlStore;
  /** Connection settings this stream changed (PRAGMA foreign_keys), restored when it runs again. */
  foreignKeys: boolean;
  closed: boolean;
  /** A pipeline is in flight: never expire it, and refuse a second concurrent request. */
  busy: boolean;
  timer: NodeJS.Timeout | undefined;
}

export interface StreamRegistryOptions {
  idleMs: number;
  /** Called when an owning stream goes away with its transaction still open. */
  abandonTransaction(): void;
}

const RETIRED_LIMIT = 1000;

export class StreamRegistry {
  readonly #opts: StreamRegistryOptions;
  readonly #byBaton = new Map<string, Stream>();
  /** Batons of streams that ended, kept briefly so a late request gets a precise error. */
  readonly #retired = new Map<string, string>();
  readonly #batonOf = new Map<Stream, string>();
  #owner: Stream | null = null;
  #waiters: (() => void)[] = [];
  #nextId = 1;
  #shutDown = false;

  constructor(opts: StreamRegistryOptions) {
    this.#opts = opts;
  }

  /** The stream a pipeline runs on: a new one for no baton, else the baton's (which is used up). */
  take(baton: string | null | undefined): Stream {
    if (this.#shutDown) throw new HranaHttpError(503, "The server is shutting down", "SERVER_CLOSED");
    if (baton == null) {
      return {
        id: this.#nextId++,
        sqls: new Map(),
        foreignKeys: true,
        closed: false,
        busy: true,
        timer: undefined,
      };
    }
    const stream = this.#byBaton.get(baton);
    if (!stream) {
      const reason = this.#retired.get(baton);
      throw new HranaHttpError(
        400,
        reason ?? "Unknown baton: no such stream on this server",
        reason ? "STREAM_EXPIRED" : "BATON_INVALID",
      );
    }
    this.#byBaton.delete(baton);
    this.#batonOf.delete(stream);
    clearTimeout(stream.timer);
    stream.busy = true;
    return stream;
  }

  /**
   * Waits until no other stream runs a pipeline or holds an open transaction, then claims the
   * connection in the same tick. Re-checks after every wake-up: all waiters wake, one wins.
   */
  async acquire(stream: Stream): Promise<void> {
    while (this.#owner !== null && this.#owner !== stream) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
      if (this.#shutDown) throw new HranaHttpError(503, "The server is shutting down", "SERVER_CLOSED");
    }
    this.#owner = stream;
  }

  /** After a pipeline: keep the connection only if a transaction is open; hand out the next baton. */
  settle(stream: Stream, holdsTransaction: boolean): string | null {
    stream.busy = false;
    if (holdsTransaction && !stream.closed) this.#owner = stream;
    else this.#release(stream);
    if (stream.closed) return null;
    const baton = `${stream.id}.${randomBytes(18).toString("base64url")}`;
    this.#byBaton.set(baton, stream);
    this.#batonOf.set(stream, baton);
    stream.timer = setTimeout(
      () => this.end(stream, "Stream expired after being idle; its transaction was rolled back"),
      this.#opts.idleMs,
    );
    stream.timer.unref();
    return baton;
  }

  /** Ends a stream (client close, idle expiry, shutdown), rolling back a transaction it still holds. */
  end(stream: Stream, reason: string): void {
    if (stream.closed && !this.#batonOf.has(stream)) return;
    stream.closed = true;
    clearTimeout(stream.timer);
    const baton = this.#batonOf.get(stream);
    if (baton !== undefined) {
      this.#byBaton.delete(baton);
      this.#batonOf.delete(stream);
      this.#retire(baton, reason);
    }
    if (this.#owner === stream) {
      this.#opts.abandonTransaction();
      this.#release(stream);
    }
  }

  shutdown(): void {
    this.#shutDown = true;
    for (const stream of [...this.#batonOf.keys()]) this.end(stream, "The server was shut down");
    this.#wakeAll();
  }

  #release(stream: Stream): void {
    if (this.#owner !== stream) return;
    this.#owner = null;
    this.#wakeAll();
  }

  #wakeAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  #retire(baton: string, reason: string): void {
    this.#retired.set(baton, reason);
    if (this.#retired.size > RETIRED_LIMIT) {
      const oldest = this.#retired.keys().next();
      if (!oldest.done) this.#retired.delete(oldest.value);
    }
  }
}
