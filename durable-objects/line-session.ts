/**
 * LineSession: one Durable Object per line. Owns which of the line's reps are on a call right now
 * and the line's FIFO hold queue. The roster (who, priority, offline) is Turso's, read fresh on each
 * decision so admin changes apply at once. When a rep frees up it is offered to the head of the queue.
 */
import { DurableObject } from "cloudflare:workers";
import { and, asc, eq } from "drizzle-orm";
import { loadConfig } from "../src/config";
import { createDb, schema } from "../src/db/client";

export interface ReservedAgent {
  agentId: string;
  name: string;
  destination: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS busy (agent_id TEXT PRIMARY KEY, call_session_id TEXT NOT NULL, since INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, call_session_id TEXT NOT NULL UNIQUE,
  joined_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
`;

export class LineSession extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
  }

  /** The best free rep (lowest priority number first) not in `exclude`, marked busy for this call. */
  async reserve(lineId: string, callSessionId: string, exclude: string[]): Promise<ReservedAgent | null> {
    this.rememberLine(lineId);
    // A resent reserve (the call's object restarted mid-send) gets the rep it already holds.
    const held = this.sql
      .exec<{ agent_id: string }>("SELECT agent_id FROM busy WHERE call_session_id = ?", callSessionId)
      .toArray()
      .map((r) => r.agent_id)
      .find((id) => !exclude.includes(id));
    const roster = await this.availableRoster(lineId);
    const again = held ? roster.find((a) => a.agentId === held) : undefined;
    if (again) return again;
    // Re-read busy after the await: another call may have taken a rep meanwhile.
    const busy = new Set(
      this.sql
        .exec<{ agent_id: string }>("SELECT agent_id FROM busy")
        .toArray()
        .map((r) => r.agent_id),
    );
    const pick = roster.find((a) => !busy.has(a.agentId) && !exclude.includes(a.agentId));
    if (!pick) return null;
    this.sql.exec(
      "INSERT INTO busy (agent_id, call_session_id, since) VALUES (?, ?, ?)",
      pick.agentId,
      callSessionId,
      Date.now(),
    );
    return pick;
  }

  /** Frees a rep (only if this call holds it) and offers it to the longest-waiting caller. */
  async release(lineId: string, callSessionId: string, agentId: string): Promise<void> {
    this.rememberLine(lineId);
    this.sql.exec("DELETE FROM busy WHERE agent_id = ? AND call_session_id = ?", agentId, callSessionId);
    await this.offerFreeReps(lineId);
  }

  /** Adds a call to the hold queue; returns its 1-based position. Safe to repeat. */
  enqueue(lineId: string, callSessionId: string): number {
    this.rememberLine(lineId);
    this.sql.exec(
      "INSERT OR IGNORE INTO queue (call_session_id, joined_at) VALUES (?, ?)",
      callSessionId,
      Date.now(),
    );
    const row = this.sql
      .exec<{ pos: number }>(
        "SELECT count(*) AS pos FROM queue WHERE seq <= (SELECT seq FROM queue WHERE call_session_id = ?)",
        callSessionId,
      )
      .one();
    return row.pos;
  }

  dequeue(callSessionId: string): void {
    this.sql.exec("DELETE FROM queue WHERE call_session_id = ?", callSessionId);
  }

  /** Called by the admin API after agent changes: a rep who came online may take a waiting call. */
  async rosterChanged(lineId?: string): Promise<void> {
    const id = lineId ?? this.knownLine();
    if (id) await this.offerFreeReps(id);
  }

  /** For the API and tests: who is busy and who waits. */
  snapshot(): { busy: { agentId: string; callSessionId: string }[]; queue: string[] } {
    return {
      busy: this.sql
        .exec<{ agent_id: string; call_session_id: string }>("SELECT agent_id, call_session_id FROM busy")
        .toArray()
        .map((r) => ({ agentId: r.agent_id, callSessionId: r.call_session_id })),
      queue: this.sql
        .exec<{ call_session_id: string }>("SELECT call_session_id FROM queue ORDER BY seq")
        .toArray()
        .map((r) => r.call_session_id),
    };
  }

  private async offerFreeReps(lineId: string): Promise<void> {
    for (;;) {
      const head = this.sql
        .exec<{ seq: number; call_session_id: string }>(
          "SELECT seq, call_session_id FROM queue ORDER BY seq LIMIT 1",
        )
        .toArray()[0];
      if (!head) return;
      const agent = await this.reserve(lineId, head.call_session_id, []);
      if (!agent) return;
      this.dequeue(head.call_session_id);
      const call = this.env.CALL_SESSION.getByName(head.call_session_id);
      const taken = await call.offerAgent(agent).catch(() => null);
      if (taken) continue;
      // Declined (the caller left meanwhile) or unknown (the call's object did not answer): free the
      // rep; an unanswered caller goes back to the head of the queue rather than being forgotten.
      this.sql.exec(
        "DELETE FROM busy WHERE agent_id = ? AND call_session_id = ?",
        agent.agentId,
        head.call_session_id,
      );
      if (taken === null) {
        this.sql.exec(
          "INSERT OR IGNORE INTO queue (seq, call_session_id, joined_at) VALUES (?, ?, ?)",
          head.seq,
          head.call_session_id,
          Date.now(),
        );
        return;
      }
    }
  }

  private async availableRoster(lineId: string): Promise<ReservedAgent[]> {
    const cfg = loadConfig(this.env);
    const db = createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN);
    const rows = await db
      .select({ agentId: schema.agents.id, name: schema.agents.name, destination: schema.agents.destination })
      .from(schema.agents)
      .where(and(eq(schema.agents.lineId, lineId), eq(schema.agents.status, "available")))
      .orderBy(asc(schema.agents.priority), asc(schema.agents.createdAt), asc(schema.agents.id));
    return rows;
  }

  private rememberLine(lineId: string): void {
    this.sql.exec("INSERT OR IGNORE INTO meta (k, v) VALUES ('line', ?)", lineId);
  }

  private knownLine(): string | null {
    return this.sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'line'").toArray()[0]?.v ?? null;
  }
}
