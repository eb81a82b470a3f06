/**
 * DeadLetters: one Durable Object (named "all") listing the commands that kept failing and were
 * moved out of their call's outbox (a record write, a LineSession call). It lives outside Turso on
 * purpose: the usual reason for a dead letter is Turso being down. The command itself stays in its
 * call's object, which retries it hourly or when an operator asks.
 */
import { DurableObject } from "cloudflare:workers";

export interface DeadLetterEntry {
  callId: string;
  commandId: string;
  command: string;
  lane: string;
  reason: string;
  deadAt: number;
}

export interface ListedDeadLetter extends DeadLetterEntry {
  resolvedAt: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS letters (command_id TEXT PRIMARY KEY, call_id TEXT NOT NULL, command TEXT NOT NULL,
  lane TEXT NOT NULL, reason TEXT NOT NULL, dead_at INTEGER NOT NULL, resolved_at INTEGER);
CREATE INDEX IF NOT EXISTS letters_open ON letters (resolved_at, dead_at);
`;

export class DeadLetters extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  add(entry: DeadLetterEntry): void {
    this.sql.exec(
      `INSERT INTO letters (command_id, call_id, command, lane, reason, dead_at, resolved_at) VALUES (?, ?, ?, ?, ?, ?, NULL)
       ON CONFLICT (command_id) DO UPDATE SET reason = excluded.reason, dead_at = excluded.dead_at, resolved_at = NULL`,
      entry.commandId,
      entry.callId,
      entry.command,
      entry.lane,
      entry.reason,
      entry.deadAt,
    );
  }

  resolve(commandId: string): void {
    this.sql.exec(
      "UPDATE letters SET resolved_at = ? WHERE command_id = ? AND resolved_at IS NULL",
      Date.now(),
      commandId,
    );
  }

  /** Newest first; open ones only unless asked. */
  list(opts: { open: boolean; limit: number }): ListedDeadLetter[] {
    return this.sql
      .exec<{
        command_id: string;
        call_id: string;
        command: string;
        lane: string;
        reason: string;
        dead_at: number;
        resolved_at: number | null;
      }>(
        `SELECT * FROM letters ${opts.open ? "WHERE resolved_at IS NULL" : ""} ORDER BY dead_at DESC LIMIT ?`,
        opts.limit,
      )
      .toArray()
      .map((r) => ({
        callId: r.call_id,
        commandId: r.command_id,
        command: r.command,
        lane: r.lane,
        reason: r.reason,
        deadAt: r.dead_at,
        resolvedAt: r.resolved_at,
      }));
  }
}
