/**
 * One step of a call, inside the CallSession's synchronous storage transaction: run the flow's pure
 * `step`, keep card fields in memory, write timers and the outbox (with deterministic command ids),
 * track live legs, the timeline and the stale-call guard, and log the transition. No awaits here.
 */
import { logTransition } from "../src/log/call-log";
import type { CallEvent, CardField, Command, Flow } from "../src/ivr/types";
import type { CallStore, SessionMeta } from "./call-store";

/** Shell-owned timers; flow timer names never start with "__". */
export const STALE_TIMER = "__stale";
export const CLEANUP_TIMER = "__cleanup";
/** How long a finished call keeps its tombstone so late webhooks are recognised and ignored. */
export const TOMBSTONE_MS = 30 * 60_000;
/** After a flow's deadline passes with no hang-up seen, wait this long before the guard acts. */
export const STALE_GRACE_MS = 2 * 60_000;
/** A call with no deadline (still in its IVR) that hears nothing for this long is stale. */
export const IDLE_LIMIT_MS = 30 * 60_000;

export interface StepOutcome {
  changed: boolean;
  commands: Command[];
}

export function describeState(state: unknown): string {
  if (state && typeof state === "object") {
    const s = state as Record<string, unknown>;
    for (const key of ["phase", "name", "kind", "status"]) if (typeof s[key] === "string") return s[key];
  }
  return "state";
}

export function applyStep(
  store: CallStore,
  meta: SessionMeta,
  flow: Flow<unknown>,
  event: CallEvent,
  now: number,
  card: Map<CardField, string>,
): StepOutcome {
  const before = JSON.stringify(meta.state);
  const from = describeState(meta.state);
  const result = flow.step(meta.state, event, { now, sessionId: meta.sessionId, line: meta.line });
  const changed = JSON.stringify(result.state) !== before || result.commands.length > 0;
  // Legs and times are tracked even when the flow ignores the event: the stale-call guard needs them.
  trackLegs(meta, event);
  meta.lastEventTime = Math.max(meta.lastEventTime, event.at);
  if (!changed) {
    store.putMeta(meta);
    return { changed, commands: [] };
  }

  // A step that ends a sensitive phase still carries its last sensitive digits: redact by either.
  const sensitive = meta.sensitive || result.commands.some((c) => c.type === "log_sensitive" && c.on);
  meta.version += 1;
  meta.state = result.state;
  meta.lastEventAt = now;
  result.commands.forEach((cmd, index) => {
    switch (cmd.type) {
      case "set_timer":
        return store.setTimer(cmd.name, cmd.at);
      case "clear_timer":
        return store.clearTimer(cmd.name);
      case "hold_card_field":
        return void card.set(cmd.field, cmd.value);
      case "forget_card":
        return card.clear();
      case "log_sensitive":
        return void (meta.sensitive = cmd.on);
      default:
        return store.enqueue(`${meta.sessionId}:${meta.version}:${index}`, cmd, now);
    }
  });
  const to = describeState(result.state);
  store.addTimeline("at" in event ? event.at : now, event.type, from, to);
  if (flow.isDone(result.state) && meta.doneAt === null) {
    meta.doneAt = now;
    store.clearTimer(STALE_TIMER);
    store.setTimer(CLEANUP_TIMER, now + TOMBSTONE_MS);
  } else if (meta.doneAt === null) {
    const deadline = flow.deadline?.(result.state) ?? null;
    store.setTimer(STALE_TIMER, (deadline ?? now + IDLE_LIMIT_MS) + STALE_GRACE_MS);
  }
  store.putMeta(meta);
  logTransition({
    call: meta.sessionId,
    line: meta.line.id,
    event,
    from,
    to,
    commands: result.commands,
    sensitive,
  });
  return { changed, commands: result.commands };
}

function trackLegs(meta: SessionMeta, event: CallEvent): void {
  switch (event.type) {
    case "call_started":
      meta.liveLegs[event.leg] = "caller";
      return;
    case "leg_dialled":
    case "leg_answered":
      meta.liveLegs[event.leg] = event.role;
      return;
    case "leg_hung_up":
      delete meta.liveLegs[event.leg];
      return;
    default:
      return;
  }
}
