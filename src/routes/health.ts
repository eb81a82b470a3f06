/**
 * GET /health (mounted with `app.route("/health", health)`): is the Worker up and can it reach Turso? 200 `{status, database}` after a
 * `select 1`; otherwise a 503 problem that says the database is unreachable and nothing more
 * (no URL, token or driver message: those go to the log as one JSON line).
 */
import { Hono } from "hono";
import { dbOf } from "../api/context";
import { problemResponse } from "../api/problem";

/** A hung database must not hang the probe: load balancers want an answer. */
const DATABASE_TIMEOUT_MS = 3_000;

async function pingDatabase(env: Env): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${DATABASE_TIMEOUT_MS} ms`)),
      DATABASE_TIMEOUT_MS,
    );
  });
  try {
    await Promise.race([dbOf({ env }).$client.execute("select 1"), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createHealthApp(): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/", async (c) => {
    try {
      await pingDatabase(c.env);
    } catch (err) {
      const error = err instanceof Error ? err.name : "unknown";
      console.error(JSON.stringify({ level: "error", msg: "health_database_unreachable", error }));
      return problemResponse({
        type: "about:blank",
        title: "Service Unavailable",
        status: 503,
        detail: "The database is unreachable.",
      });
    }
    return c.json({ status: "ok", database: "ok" }, 200);
  });
  return app;
}

export const health = createHealthApp();
