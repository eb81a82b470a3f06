/**
 * LineSession: one Durable Object per line. Owns which of the line's agents are on a call right now
 * (reserved while ringing, connected once talking: the agent ↔ call index), and the line's FIFO hold
 * queue. The roster (who, priority, offline) is Turso's, read fresh on each decision so admin
 * changes apply at once. When an agent frees up, they are offered to the head of the queue, each
 * offer under its own key so a resent offer is applied by the call once.
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

export interface AgentCall {
  callSessionId: string;
  /** When the agent started talking on it (null while it still rings). */
  connectedAt: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS busy (agent_id TEXT PRIMARY KEY, call_session_id TEXT NOT NULL, since INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, call_session_id TEXT NOT NULL UNIQUE,
  joined_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL);
`;
const UPGRADES = [
  { table: "busy", column: "connected_at", sql: "ALTER TABLE busy ADD COLUMN connected_at INTEGER" },
  { table: "queue", column: "offers", sql: "ALTER TABLE queue ADD COLUMN offers INTEGER NOT NULL DEFAULT 0" },
];
/** An offer whose answer was lost is made again (same key) this soon. */
const OFFER_RETRY_MS = 2_000;

export class LineSession extends DurableObject<Env> {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    for (const u of UPGRADES) {
      const columns = this.sql
        .exec<{ name: string }>(`SELECT name FROM pragma_table_info('${u.table}')`)
        .toArray();
      if (!columns.some((c) => c.name === u.column)) this.sql.exec(u.sql);
    }
  }

  /** The best free agent (lowest priority number first) not in `exclude`, marked busy for this call. */
  async reserve(lineId: string, callSessionId: string, exclude: string[]): Promise<ReservedAgent | null> {
    this.rememberLine(lineId);
    // A resent reserve (the call's object restarted mid-send) gets the agent it already holds.
    const held = this.sql
      .exec<{ agent_id: string }>("SELECT agent_id FROM busy WHERE call_session_id = ?", callSessionId)
      .toArray()
      .map((r) => r.agent_id)
      .find((id) => !exclude.includes(id));
    const roster = await this.availableRoster(lineId);
    const again = held ? roster.find((a) => a.agentId === held) : undefined;
    if (again) return again;
    // Re-read busy after the await: another call may have taken an agent meanwhile.
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

  /** The agent answered and talks on this call: the index now points the agent at it. */
  markConnected(lineId: string, callSessionId: string, agentId: string): void {
    this.rememberLine(lineId);
    this.sql.exec(
      "UPDATE busy SET connected_at = ? WHERE agent_id = ? AND call_session_id = ? AND connected_at IS NULL",
      Date.now(),
      agentId,
      callSessionId,
    );
  }

  /** The call an agent is on (ringing or talking), for "my call" in the API and the console. */
  callOfAgent(agentId: string): AgentCall | null {
    const row = this.sql
      .exec<{ call_session_id: string; connected_at: number | null }>(
        "SELECT call_session_id, connected_at FROM busy WHERE agent_id = ?",
        agentId,
      )
      .toArray()[0];
    return row ? { callSessionId: row.call_session_id, connectedAt: row.connected_at } : null;
  }

  /** Frees an agent (only if this call holds them) and offers them to the longest-waiting caller. */
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

  /** Called by the admin API after agent changes: an agent who came online may take a waiting call. */
  async rosterChanged(lineId?: string): Promise<void> {
    const id = lineId ?? this.knownLine();
    if (id) await this.offerFreeReps(id);
  }

  override async alarm(): Promise<void> {
    await this.rosterChanged();
  }

  /** For the API and tests: who is busy (and on which call) and who waits. */
  snapshot(): { busy: { agentId: string; callSessionId: string; connected: boolean }[]; queue: string[] } {
    return {
      busy: this.sql
        .exec<{ agent_id: string; call_session_id: string; connected_at: number | null }>(
          "SELECT agent_id, call_session_id, connected_at FROM busy",
        )
        .toArray()
        .map((r) => ({
          agentId: r.agent_id,
          callSessionId: r.call_session_id,
          connected: r.connected_at !== null,
        })),
      queue: this.sql
        .exec<{ call_session_id: string }>("SELECT call_session_id FROM queue ORDER BY seq")
        .toArray()
        .map((r) => r.call_session_id),
    };
  }

  private async offerFreeReps(lineId: string): Promise<void> {
    for (;;) {
      const head = this.sql
        .exec<{ seq: number; call_session_id: string; offers: number }>(
          "SELECT seq, call_session_id, offers FROM queue ORDER BY seq LIMIT 1",
        )
        .toArray()[0];
      if (!head) return;
      const agent = await this.reserve(lineId, head.call_session_id, []);
      if (!agent) return;
      // The key names this offer: a resend after a lost answer is the same offer, applied once.
      const key = `${lineId}:${head.seq}:${head.offers}`;
      const call = this.env.CALL_SESSION.getByName(head.call_session_id);
      const taken = await call.offerAgent(agent, key).catch(() => null);
      if (taken === null) {
        // The call's object did not answer: keep the agent for it and make the same offer again soon.
        await this.ctx.storage.setAlarm(Date.now() + OFFER_RETRY_MS);
        return;
      }
      this.sql.exec("UPDATE queue SET offers = offers + 1 WHERE seq = ?", head.seq);
      if (taken) {
        this.dequeue(head.call_session_id);
        continue;
      }
      // Declined (the caller left meanwhile): free the agent and drop the call from the queue.
      this.dequeue(head.call_session_id);
      this.sql.exec(
        "DELETE FROM busy WHERE agent_id = ? AND call_session_id = ?",
        agent.agentId,
        head.call_session_id,
      );
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
