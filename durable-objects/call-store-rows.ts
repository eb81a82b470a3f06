/**
 * What the CallSession's SQLite storage holds: the row shapes the shell reads, the tables' DDL and
 * the upgrade from the previous shape. CallStore (call-store.ts) is the only code that runs it.
 */
import type { LineInfo, Tagged } from "../src/ivr/types";
import type { RetryPolicy } from "../src/engine/effect";

/**
 * The stored shape of this file's tables and SessionMeta. Bumped when they change; a session
 * stored under an older shape is abandoned safely (see call-session.ts), never misread.
 */
export const STATE_SCHEMA_VERSION = 2;

export interface SessionMeta {
  schema: number;
  sessionId: string;
  flow: string;
  /** The flow's own state version (Flow.stateVersion) when this state was written. */
  flowVersion: number;
  line: LineInfo;
  version: number;
  state: unknown;
  startedAt: number;
  lastEventAt: number;
  /** Latest platform time (event `at`) seen: the last moment the call is known to have been alive. */
  lastEventTime: number;
  /** Legs seen and not yet hung up, with their roles: the stale-call guard asks Telnyx about these. */
  liveLegs: Record<string, string>;
  sensitive: boolean;
  doneAt: number | null;
  /** The inbound call's Call Control application: dialled legs use the same one. */
  connectionId: string | null;
}

export interface OutboxRow {
  seq: number;
  commandId: string;
  lane: string;
  policy: RetryPolicy;
  command: Tagged;
  attempts: number;
  nextAt: number;
}

export interface DeadLetter extends OutboxRow {
  reason: string;
  deadAt: number;
  nextRetryAt: number;
  reported: boolean;
}

export interface TimelineRow {
  seq: number;
  at: number;
  event: string;
  from: string;
  to: string;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS seen_events (id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS timers (name TEXT PRIMARY KEY, at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, command_id TEXT NOT NULL UNIQUE,
  command TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS timeline (seq INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL,
  event TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS early_events (id TEXT PRIMARY KEY, event TEXT NOT NULL, received_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS dead_letters (command_id TEXT PRIMARY KEY, lane TEXT NOT NULL, policy TEXT NOT NULL,
  command TEXT NOT NULL, attempts INTEGER NOT NULL, reason TEXT NOT NULL, dead_at INTEGER NOT NULL,
  next_retry_at INTEGER NOT NULL, reported INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS action_replies (key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, reply TEXT);
`;

/** Columns added by schema 2 to a table schema 1 created (an object created before the change). */
export const UPGRADES = [
  "ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'legacy'",
  "ALTER TABLE outbox ADD COLUMN policy TEXT NOT NULL DEFAULT 'work'",
];

export type OutboxSql = {
  seq: number;
  command_id: string;
  lane: string;
  policy: string;
  command: string;
  attempts: number;
  next_at: number;
};

export const toOutboxRow = (r: OutboxSql): OutboxRow => ({
  seq: r.seq,
  commandId: r.command_id,
  lane: r.lane,
  policy: r.policy as RetryPolicy,
  command: JSON.parse(r.command) as Tagged,
  attempts: r.attempts,
  nextAt: r.next_at,
});
