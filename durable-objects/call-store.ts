/**
 * The CallSession's own SQLite storage: flow state, seen event ids, named timers, the command
 * outbox, the call's timeline and early events. Synchronous calls only, so the shell can wrap a
 * whole step in one `transactionSync`. Never stores card data: the shell keeps that in memory.
 */
import type { CallEvent, Command, LineInfo } from "../src/ivr/types";

/** Bumped when the persisted shape changes; older states are migrated or settled, never misread. */
export const STATE_SCHEMA_VERSION = 1;

export interface SessionMeta {
  schema: number;
  sessionId: string;
  flow: string;
  line: LineInfo;
  version: number;
  state: unknown;
  startedAt: number;
  lastEventAt: number;
  /** Latest platform time (event `at`) seen: the last moment the call is known to have been alive. */
  lastEventTime: number;
  /** Legs seen and not yet hung up: the stale-call guard hangs these up. */
  liveLegs: Record<string, string>;
  sensitive: boolean;
  doneAt: number | null;
  /** The inbound call's Call Control application: dialled legs use the same one. */
  connectionId: string | null;
}

export interface OutboxRow {
  seq: number;
  commandId: string;
  command: Command;
  attempts: number;
  nextAt: number;
}

export interface TimelineRow {
  seq: number;
  at: number;
  event: string;
  from: string;
  to: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen_events (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS timers (name TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL UNIQUE,
  command TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS timeline (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
  event TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS early_events (id TEXT PRIMARY KEY, event TEXT NOT NULL, received_at INTEGER NOT NULL);
`;

export class CallStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
  }

  getMeta(): SessionMeta | null {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'session'").toArray()[0];
    return row ? (JSON.parse(row.v) as SessionMeta) : null;
  }

  putMeta(meta: SessionMeta): void {
    this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('session', ?)", JSON.stringify(meta));
  }

  /** Marks an event id as seen; false when it had been seen already. */
  markSeen(eventId: string): boolean {
    return this.sql.exec("INSERT OR IGNORE INTO seen_events (id) VALUES (?)", eventId).rowsWritten > 0;
  }

  hasSeen(eventId: string): boolean {
    return this.sql.exec("SELECT 1 FROM seen_events WHERE id = ?", eventId).toArray().length > 0;
  }

  setTimer(name: string, at: number): void {
    this.sql.exec("INSERT OR REPLACE INTO timers (name, at) VALUES (?, ?)", name, at);
  }

  clearTimer(name: string): void {
    this.sql.exec("DELETE FROM timers WHERE name = ?", name);
  }

  /** Removes and returns one due timer, oldest first, so each fires once. */
  takeDueTimer(now: number): { name: string; at: number } | null {
    const row = this.sql
      .exec<{ name: string; at: number }>(
        "SELECT name, at FROM timers WHERE at <= ? ORDER BY at LIMIT 1",
        now,
      )
      .toArray()[0];
    if (!row) return null;
    this.clearTimer(row.name);
    return row;
  }

  enqueue(commandId: string, command: Command, now: number): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO outbox (command_id, command, next_at) VALUES (?, ?, ?)",
      commandId,
      JSON.stringify(command),
      now,
    );
  }

  /** The head of the outbox: commands run strictly in order, a failing head holds the rest back. */
  outboxHead(): OutboxRow | null {
    const row = this.sql
      .exec<{ seq: number; command_id: string; command: string; attempts: number; next_at: number }>(
        "SELECT seq, command_id, command, attempts, next_at FROM outbox ORDER BY seq LIMIT 1",
      )
      .toArray()[0];
    if (!row) return null;
    return {
      seq: row.seq,
      commandId: row.command_id,
      command: JSON.parse(row.command) as Command,
      attempts: row.attempts,
      nextAt: row.next_at,
    };
  }

  completeCommand(seq: number): void {
    this.sql.exec("DELETE FROM outbox WHERE seq = ?", seq);
  }

  deferCommand(seq: number, attempts: number, nextAt: number): void {
    this.sql.exec("UPDATE outbox SET attempts = ?, next_at = ? WHERE seq = ?", attempts, nextAt, seq);
  }

  /** When the alarm was last set for, so an alarm run early (tests, clock skew) still counts as due. */
  getArmedAt(): number | null {
    const row = this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'armed_at'").toArray()[0];
    return row ? Number(row.v) : null;
  }

  setArmedAt(at: number | null): void {
    if (at === null) this.sql.exec("DELETE FROM meta WHERE k = 'armed_at'");
    else this.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('armed_at', ?)", String(at));
  }

  hasPendingHangup(leg: string): boolean {
    const rows = this.sql.exec(
      "SELECT 1 FROM outbox WHERE json_extract(command, '$.type') = 'hangup' AND json_extract(command, '$.leg') = ?",
      leg,
    );
    return rows.toArray().length > 0;
  }

  outboxSize(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM outbox").one().n;
  }

  /** Earliest moment something is due: a timer or a deferred command. */
  /**
   * Earliest moment something is due: a timer or the outbox head. `notBefore` pushes the head's
   * time back (a backstop while the background send is expected to handle it).
   */
  nextDue(notBefore = 0): number | null {
    const t = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM timers").one().at;
    // Only the head can run (strict order), so a later row's earlier retry time is not "due".
    const head = this.outboxHead()?.nextAt;
    const o = head === undefined ? null : Math.max(head, notBefore);
    const all = [t, o].filter((x): x is number => x !== null);
    return all.length ? Math.min(...all) : null;
  }

  addTimeline(at: number, event: string, from: string, to: string): void {
    this.sql.exec(
      "INSERT INTO timeline (at, event, from_state, to_state) VALUES (?, ?, ?, ?)",
      at,
      event,
      from,
      to,
    );
  }

  timeline(): TimelineRow[] {
    return this.sql
      .exec<{ seq: number; at: number; event: string; from_state: string; to_state: string }>(
        "SELECT seq, at, event, from_state, to_state FROM timeline ORDER BY seq",
      )
      .toArray()
      .map((r) => ({ seq: r.seq, at: r.at, event: r.event, from: r.from_state, to: r.to_state }));
  }

  /** Events that arrived before the call's first event (Telnyx does not guarantee order). */
  holdEarly(eventId: string, event: CallEvent, now: number): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO early_events (id, event, received_at) VALUES (?, ?, ?)",
      eventId,
      JSON.stringify(event),
      now,
    );
  }

  takeEarly(): { id: string; event: CallEvent; receivedAt: number }[] {
    const rows = this.sql
      .exec<{ id: string; event: string; received_at: number }>(
        "SELECT id, event, received_at FROM early_events ORDER BY received_at, id",
      )
      .toArray();
    this.sql.exec("DELETE FROM early_events");
    return rows.map((r) => ({
      id: r.id,
      event: JSON.parse(r.event) as CallEvent,
      receivedAt: r.received_at,
    }));
  }

  oldestEarly(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT min(received_at) AS at FROM early_events").one().at;
  }
}
