/**
 * The CallSession's own SQLite storage: session meta and flow state, seen event ids, named timers,
 * the command outbox (in lanes), dead letters, action replies, the call's timeline and early events.
 * Synchronous calls only, so the shell can wrap a whole step in one `transactionSync`.
 * Never stores card data: the shell keeps that in memory, and early events are kept without digits.
 */
import type { RetryPolicy } from "../src/engine/effect";
import type { ActionReply, EngineCommand, EngineEvent, Tagged } from "../src/ivr/types";
import {
  SCHEMA,
  toOutboxRow,
  UPGRADES,
  type DeadLetter,
  type OutboxRow,
  type OutboxSql,
  type SessionMeta,
  type TimelineRow,
} from "./call-store-rows";

export {
  STATE_SCHEMA_VERSION,
  type DeadLetter,
  type OutboxRow,
  type SessionMeta,
  type TimelineRow,
} from "./call-store-rows";

/** An early event keeps no digits: it waited outside any flow, so nothing says they were safe to keep. */
function withoutDigits(event: EngineEvent): EngineEvent {
  if (event.type === "digits_gathered") return { ...event, digits: "", status: "invalid" };
  if (event.type === "dtmf_received") return { ...event, digit: "" };
  return event;
}

export class CallStore {
  constructor(private readonly sql: SqlStorage) {
    sql.exec(SCHEMA);
    const columns = sql.exec<{ name: string }>("SELECT name FROM pragma_table_info('outbox')").toArray();
    if (!columns.some((c) => c.name === "lane")) for (const statement of UPGRADES) sql.exec(statement);
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

  timerAt(name: string): number | null {
    return (
      this.sql.exec<{ at: number }>("SELECT at FROM timers WHERE name = ?", name).toArray()[0]?.at ?? null
    );
  }

  /** The timers due by `at`, as they stand now (oldest first). */
  dueTimers(at: number): { name: string; at: number }[] {
    return this.sql
      .exec<{ name: string; at: number }>("SELECT name, at FROM timers WHERE at <= ? ORDER BY at", at)
      .toArray();
  }

  /**
   * Removes and returns one due timer, oldest first, so each fires once: due by `now`, or one of
   * `early` (those due when a late or early-run alarm started) if still set for the same time.
   */
  takeDueTimer(
    now: number,
    early: readonly { name: string; at: number }[] = [],
  ): { name: string; at: number } | null {
    const row =
      this.sql
        .exec<{ name: string; at: number }>(
          "SELECT name, at FROM timers WHERE at <= ? ORDER BY at LIMIT 1",
          now,
        )
        .toArray()[0] ?? early.find((e) => this.timerAt(e.name) === e.at);
    if (!row) return null;
    this.clearTimer(row.name);
    return row;
  }

  enqueue(
    commandId: string,
    lane: string,
    policy: RetryPolicy,
    command: EngineCommand | Tagged,
    now: number,
  ): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO outbox (command_id, lane, policy, command, next_at) VALUES (?, ?, ?, ?, ?)",
      commandId,
      lane,
      policy,
      JSON.stringify(command),
      now,
    );
  }

  /** The head of each lane: commands in a lane run strictly in order; lanes do not wait for each other. */
  laneHeads(): OutboxRow[] {
    return this.sql
      .exec<OutboxSql>(
        `SELECT seq, command_id, lane, policy, command, attempts, next_at FROM outbox o
         WHERE seq = (SELECT min(seq) FROM outbox WHERE lane = o.lane) ORDER BY next_at, seq`,
      )
      .toArray()
      .map(toOutboxRow);
  }

  laneHead(lane: string): OutboxRow | null {
    const row = this.sql
      .exec<OutboxSql>(
        "SELECT seq, command_id, lane, policy, command, attempts, next_at FROM outbox WHERE lane = ? ORDER BY seq LIMIT 1",
        lane,
      )
      .toArray()[0];
    return row ? toOutboxRow(row) : null;
  }

  /** Every outbox row, in order (inspection and the card-data scan). */
  outboxRows(): OutboxRow[] {
    return this.sql
      .exec<OutboxSql>(
        "SELECT seq, command_id, lane, policy, command, attempts, next_at FROM outbox ORDER BY seq",
      )
      .toArray()
      .map(toOutboxRow);
  }

  completeCommand(seq: number): void {
    this.sql.exec("DELETE FROM outbox WHERE seq = ?", seq);
  }

  deferCommand(seq: number, attempts: number, nextAt: number): void {
    this.sql.exec("UPDATE outbox SET attempts = ?, next_at = ? WHERE seq = ?", attempts, nextAt, seq);
  }

  /** Moves a command that keeps failing out of its lane, so the commands behind it can run. */
  deadLetter(row: OutboxRow, reason: string, now: number, retryAt: number): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO dead_letters (command_id, lane, policy, command, attempts, reason, dead_at, next_retry_at, reported)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`,
      row.commandId,
      row.lane,
      row.policy,
      JSON.stringify(row.command),
      row.attempts,
      reason.slice(0, 300),
      now,
      retryAt,
    );
    this.completeCommand(row.seq);
  }

  deadLetters(): DeadLetter[] {
    return this.sql
      .exec<OutboxSql & { reason: string; dead_at: number; next_retry_at: number; reported: number }>(
        "SELECT 0 AS seq, command_id, lane, policy, command, attempts, 0 AS next_at, reason, dead_at, next_retry_at, reported FROM dead_letters ORDER BY dead_at",
      )
      .toArray()
      .map((r) => ({
        ...toOutboxRow(r),
        reason: r.reason,
        deadAt: r.dead_at,
        nextRetryAt: r.next_retry_at,
        reported: r.reported === 1,
      }));
  }

  markDeadLetterReported(commandId: string): void {
    this.sql.exec("UPDATE dead_letters SET reported = 1 WHERE command_id = ?", commandId);
  }

  /** Puts a dead letter back at the end of its lane, under its own command id (so effects stay idempotent). */
  reviveDeadLetter(commandId: string, now: number): boolean {
    const dead = this.deadLetters().find((d) => d.commandId === commandId);
    if (!dead) return false;
    this.sql.exec("DELETE FROM dead_letters WHERE command_id = ?", commandId);
    this.sql.exec(
      "INSERT OR IGNORE INTO outbox (command_id, lane, policy, command, attempts, next_at) VALUES (?, ?, ?, ?, ?, ?)",
      dead.commandId,
      dead.lane,
      dead.policy,
      JSON.stringify(dead.command),
      dead.attempts,
      now,
    );
    return true;
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

  /**
   * Earliest moment something is due: a timer, a lane head, or a dead letter's next retry.
   * `notBefore` pushes the heads' time back (a backstop while the background send handles them).
   */
  nextDue(notBefore = 0): number | null {
    const t = this.sql.exec<{ at: number | null }>("SELECT min(at) AS at FROM timers").one().at;
    const heads = this.laneHeads().map((h) => Math.max(h.nextAt, notBefore));
    const dead = this.sql
      .exec<{ at: number | null }>("SELECT min(next_retry_at) AS at FROM dead_letters")
      .one().at;
    const unreported = this.sql
      .exec<{ n: number }>("SELECT count(*) AS n FROM dead_letters WHERE reported = 0")
      .one().n;
    const all = [t, dead, ...heads, unreported > 0 ? notBefore || Date.now() : null].filter(
      (x): x is number => x !== null,
    );
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
  holdEarly(eventId: string, event: EngineEvent, now: number): void {
    this.sql.exec(
      "INSERT OR IGNORE INTO early_events (id, event, received_at) VALUES (?, ?, ?)",
      eventId,
      JSON.stringify(withoutDigits(event)),
      now,
    );
  }

  takeEarly(): { id: string; event: EngineEvent; receivedAt: number }[] {
    const rows = this.sql
      .exec<{ id: string; event: string; received_at: number }>(
        "SELECT id, event, received_at FROM early_events ORDER BY received_at, id",
      )
      .toArray();
    this.sql.exec("DELETE FROM early_events");
    return rows.map((r) => ({
      id: r.id,
      event: JSON.parse(r.event) as EngineEvent,
      receivedAt: r.received_at,
    }));
  }

  oldestEarly(): number | null {
    return this.sql.exec<{ at: number | null }>("SELECT min(received_at) AS at FROM early_events").one().at;
  }

  /** The stored reply for an action key (and what it was asked with), if that key was seen. */
  actionReply(key: string): { fingerprint: string; reply: ActionReply | null } | null {
    const row = this.sql
      .exec<{ fingerprint: string; reply: string | null }>(
        "SELECT fingerprint, reply FROM action_replies WHERE key = ?",
        key,
      )
      .toArray()[0];
    return row
      ? { fingerprint: row.fingerprint, reply: row.reply ? (JSON.parse(row.reply) as ActionReply) : null }
      : null;
  }

  /** Claims a key for an action (first writer wins), before the flow sees it. */
  claimAction(key: string, fingerprint: string): boolean {
    return (
      this.sql.exec(
        "INSERT OR IGNORE INTO action_replies (key, fingerprint, reply) VALUES (?, ?, NULL)",
        key,
        fingerprint,
      ).rowsWritten > 0
    );
  }

  putActionReply(key: string, reply: ActionReply): void {
    this.sql.exec(
      "UPDATE action_replies SET reply = ? WHERE key = ? AND reply IS NULL",
      JSON.stringify(reply),
      key,
    );
  }
}
