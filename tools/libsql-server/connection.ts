/**
 * The one libSQL connection behind the server: opened with foreign keys ON (and WAL for files),
 * safe integers, and the per-stream settings swapped in before a stream runs. It does not decide
 * who may run; the stream registry does.
 */
import Database from "libsql";
import { Executor } from "./executor";
import type { Stream } from "./streams";

export class Connection {
  readonly db: Database.Database;
  readonly executor: Executor;

  constructor(file: string) {
    this.db = new Database(file);
    this.db.defaultSafeIntegers(true);
    if (!this.db.memory) {
      this.db.exec("PRAGMA journal_mode = WAL");
      // Another process (drizzle-kit, a shell) may hold the file briefly.
      this.db.exec("PRAGMA busy_timeout = 5000");
    }
    this.db.exec("PRAGMA foreign_keys = ON");
    this.executor = new Executor(this.db);
  }

  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  /** Puts the stream's own connection settings in place; only called when no transaction is open. */
  enter(stream: Stream): void {
    if (this.#foreignKeys() !== stream.foreignKeys) {
      this.db.exec(`PRAGMA foreign_keys = ${stream.foreignKeys ? "ON" : "OFF"}`);
    }
  }

  /** Remembers settings the stream changed, then restores the defaults for everyone else. */
  leave(stream: Stream): void {
    stream.foreignKeys = this.#foreignKeys();
    if (!this.db.inTransaction && !stream.foreignKeys) this.db.exec("PRAGMA foreign_keys = ON");
  }

  rollbackIfOpen(): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  close(): void {
    this.rollbackIfOpen();
    // libsql-js only really closes once its statements are garbage-collected, so fold the WAL into
    // the main file now: the .db file alone then holds everything committed.
    if (!this.db.memory) this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
    this.db.close();
  }

  #foreignKeys(): boolean {
    const row = this.db.prepare("PRAGMA foreign_keys").raw(true).get() as [bigint] | undefined;
    return row?.[0] === 1n;
  }
}
