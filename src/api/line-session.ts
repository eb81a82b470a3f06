/**
 * The one place the API talks to a line's LineSession Durable Object: telling it the agent roster
 * changed (a rep who came online may take a waiting caller). Turso is the source of truth and the
 * write has already happened, so a failed notification is logged, not returned to the admin.
 */
export async function notifyRosterChanged(env: Env, lineId: string): Promise<void> {
  try {
    await env.LINE_SESSION.getByName(lineId).rosterChanged(lineId);
  } catch (err) {
    console.error(
      JSON.stringify({
        level: "warn",
        msg: "roster_notify_failed",
        line: lineId,
        error: String(err).slice(0, 200),
      }),
    );
  }
}
