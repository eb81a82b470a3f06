/**
 * The stale-call guard: no hang-up seen long after the call should have ended, or a long silence,
 * and the object asks Telnyx about every live leg (GET /v2/calls). Alive → carry on; ended → the
 * flow hears the hang-up at Telnyx's time; alive past the flow's own limit, or unknown → hang up.
 */
import { legId, type EngineEvent, type LegRole } from "../src/ivr/types";
import { logCallIssue } from "../src/log/call-log";
import type { CallStore, SessionMeta } from "./call-store";
import type { CheckLegCommand, LivenessEvent } from "./engine-effects";
import { flowNamed } from "./session-open";
import { armStaleGuard, describeState, LIVENESS_CHECK_MS, STALE_TIMER } from "./session-step";

/** Queues a status check of every live leg (inside the caller's transaction). */
export function checkLiveLegs(store: CallStore, meta: SessionMeta, now: number): void {
  const legs = Object.keys(meta.liveLegs);
  if (legs.length === 0) {
    logCallIssue(meta.sessionId, "stale_call_without_legs", { phase: describeState(meta.state) });
    store.setTimer(STALE_TIMER, now + LIVENESS_CHECK_MS);
    return;
  }
  for (const leg of legs) {
    const check: CheckLegCommand = { type: "check_leg", leg: legId(leg) };
    store.enqueue(`${meta.sessionId}:check:${leg}:${now}`, `status:${leg}`, "call", check, now);
  }
  store.setTimer(STALE_TIMER, now + LIVENESS_CHECK_MS);
}

/**
 * Telnyx answered the guard's question (or could not). `hangUp` feeds the flow a hang-up event
 * (inside the same transaction), so it settles as for any other ending.
 */
export function onLiveness(
  store: CallStore,
  meta: SessionMeta,
  event: LivenessEvent,
  now: number,
  hangUp: (event: EngineEvent) => void,
): void {
  const flow = flowNamed(meta.flow);
  const deadline = flow.deadline?.(meta.state) ?? null;
  const overdue = deadline !== null && now > deadline;
  if (event.type === "__leg_alive" && !overdue) {
    armStaleGuard(store, flow, meta, now, true);
    return;
  }
  // Past the flow's own limit yet alive, or Telnyx cannot say: end the leg ourselves, billed to
  // the last moment the call is known to have been legitimate.
  logCallIssue(meta.sessionId, "stale_call_guard", { leg: event.leg, answer: event.type });
  const role = meta.liveLegs[event.leg];
  if (event.type === "__leg_unknown" && role)
    hangUp({
      type: "leg_hung_up",
      leg: event.leg,
      role: role as LegRole,
      cause: "unspecified",
      source: "unknown",
      at: deadline ?? meta.lastEventTime,
    } satisfies EngineEvent);
  if (!store.hasPendingHangup(event.leg))
    store.enqueue(
      `${meta.sessionId}:stale:${event.leg}`,
      `telnyx:${event.leg}`,
      "call",
      { type: "hangup", leg: event.leg },
      now,
    );
}
