/**
 * Dead letters are listed where the API can see them even while Turso is down: the DeadLetters
 * Durable Object. Each is reported once; one that could not be reported is tried on the next alarm.
 */
import { logCallError } from "../src/log/call-log";
import type { CallStore } from "./call-store";

export async function reportDeadLetters(env: Env, store: CallStore): Promise<void> {
  const meta = store.getMeta();
  for (const dead of store.deadLetters().filter((d) => !d.reported)) {
    try {
      await env.DEAD_LETTERS.getByName("all").add({
        callId: meta?.sessionId ?? "",
        commandId: dead.commandId,
        command: dead.command.type,
        lane: dead.lane,
        reason: dead.reason,
        deadAt: dead.deadAt,
      });
      store.markDeadLetterReported(dead.commandId);
    } catch (err) {
      logCallError(meta?.sessionId ?? "", "dead_letter_not_reported", {
        error: err instanceof Error ? err.name : "unknown",
      });
    }
  }
}
