/**
 * One step of a call, inside the CallSession's synchronous storage transaction: run the flow's pure
 * `step`, apply what belongs to the step itself (timers, log redaction, action replies, memory
 * handlers such as card fields), put every other command in its lane of the outbox (deterministic
 * command ids), track live legs, the timeline and the stale-call guard, and log the transition.
 * No awaits here.
 */
import type { CallMemory } from "../src/engine/effect";
import type { AnyFlow } from "../src/engine/product";
import type { EngineCommand, EngineEvent, Tagged, TaggedEvent } from "../src/ivr/types";
import { logCallIssue, logTransition } from "../src/log/call-log";
import type { CallStore, SessionMeta } from "./call-store";
import type { EffectRegistry } from "./effect-registry";

/** Shell-owned timers; flow timer names never start with "__". */
export const STALE_TIMER = "__stale";
export const CLEANUP_TIMER = "__cleanup";
/** How long a finished call keeps its tombstone so late webhooks are recognised and ignored. */
export const TOMBSTONE_MS = 30 * 60_000;
/** After a flow's deadline passes with no hang-up seen, wait this long before the guard asks Telnyx. */
export const STALE_GRACE_MS = 2 * 60_000;
/**
 * A call with no deadline that hears nothing for this long is checked with Telnyx (is it alive?).
 * Short enough that Telnyx still has an ended call's end_time (it keeps it about 10 minutes).
 */
export const LIVENESS_CHECK_MS = 5 * 60_000;

export interface StepOutcome {
  changed: boolean;
  commands: Tagged[];
}

export function describeState(state: unknown): string {
  if (state && typeof state === "object") {
    const s = state as Record<string, unknown>;
    for (const key of ["phase", "name", "kind", "status"]) if (typeof s[key] === "string") return s[key];
  }
  return "state";
}

export interface StepDeps {
  store: CallStore;
  registry: EffectRegistry;
  memory: CallMemory;
}

/** Handles the commands that belong to the step itself; false for those the outbox carries. */
function applyInline(cmd: Tagged, meta: SessionMeta, deps: StepDeps): boolean {
  const c = cmd as EngineCommand;
  switch (c.type) {
    case "set_timer":
      deps.store.setTimer(c.name, c.at);
      return true;
    case "clear_timer":
      deps.store.clearTimer(c.name);
      return true;
    case "log_sensitive":
      meta.sensitive = c.on;
      return true;
    case "reply_action":
      deps.store.putActionReply(c.key, c.reply);
      return true;
    default: {
      const handler = deps.registry.handlerFor(cmd.type);
      if (handler?.kind !== "memory") return false;
      handler.apply(cmd, deps.memory);
      return true;
    }
  }
}

/**
 * `fromTelnyx`: the event is a webhook, proof the call was alive just now. Our own timers and
 * effect results are not: a long call ticking every minute must still be checked with Telnyx.
 */
export function applyStep(
  deps: StepDeps,
  meta: SessionMeta,
  flow: AnyFlow,
  event: TaggedEvent,
  now: number,
  fromTelnyx = false,
): StepOutcome {
  const { store } = deps;
  const before = JSON.stringify(meta.state);
  const from = describeState(meta.state);
  const result = flow.step(meta.state, event, {
    now,
    sessionId: meta.sessionId,
    line: meta.line,
  });
  const changed = JSON.stringify(result.state) !== before || result.commands.length > 0;
  // Legs and times are tracked even when the flow ignores the event: the stale-call guard needs them.
  trackLegs(meta, event as EngineEvent);
  meta.lastEventTime = Math.max(meta.lastEventTime, event.at);
  if (!changed) {
    store.putMeta(meta);
    return { changed, commands: [] };
  }

  // A step that ends a sensitive phase still carries its last sensitive digits: redact by either.
  const sensitive =
    meta.sensitive || result.commands.some((c) => c.type === "log_sensitive" && (c as { on: boolean }).on);
  meta.version += 1;
  meta.state = result.state;
  meta.lastEventAt = now;
  result.commands.forEach((cmd, index) => {
    if (applyInline(cmd, meta, deps)) return;
    const handler = deps.registry.handlerFor(cmd.type);
    if (handler?.kind !== "outbox") {
      // A flow asked for something no capability carries out: a bug worth seeing, never a crash.
      logCallIssue(meta.sessionId, "command_without_handler", { command: cmd.type });
      return;
    }
    store.enqueue(`${meta.sessionId}:${meta.version}:${index}`, handler.lane(cmd), handler.policy, cmd, now);
  });
  const to = describeState(result.state);
  store.addTimeline(event.at, event.type, from, to);
  if (flow.isDone(result.state) && meta.doneAt === null) {
    meta.doneAt = now;
    store.clearTimer(STALE_TIMER);
    store.setTimer(CLEANUP_TIMER, now + TOMBSTONE_MS);
  } else if (meta.doneAt === null) {
    armStaleGuard(store, flow, meta, now, fromTelnyx);
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
    describe: (e) => deps.registry.describeEvent(e),
  });
  return { changed, commands: result.commands };
}

/**
 * The guard looks at the call at its deadline (plus grace), or after a spell of webhook silence:
 * without a deadline, only a webhook (or Telnyx saying "alive") pushes the check later.
 */
export function armStaleGuard(
  store: CallStore,
  flow: AnyFlow,
  meta: SessionMeta,
  now: number,
  heardFromTelnyx: boolean,
): void {
  const deadline = flow.deadline?.(meta.state) ?? null;
  if (deadline !== null) store.setTimer(STALE_TIMER, Math.max(deadline + STALE_GRACE_MS, now + 1000));
  else if (heardFromTelnyx || store.timerAt(STALE_TIMER) === null)
    store.setTimer(STALE_TIMER, now + LIVENESS_CHECK_MS);
}

function trackLegs(meta: SessionMeta, event: EngineEvent): void {
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
