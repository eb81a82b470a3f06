/**
 * Actions from outside that the shell answers itself rather than the flow: who may act on a call,
 * and an admin ending it.
 */
import { refuse } from "../src/ivr/actions";
import { legId, type ActionReply } from "../src/ivr/types";
import { logCallIssue } from "../src/log/call-log";
import type { ActionInput } from "./call-session-rpc";
import type { CallStore, SessionMeta } from "./call-store";
import { flowNamed } from "./session-open";

export const NOT_YOUR_CALL = refuse(
  403,
  "Not your call",
  "Only the agent connected to this call may do that.",
);

/** An agent's action on a call another agent (or none) is connected to. */
export function notTheAgent(meta: SessionMeta, by: ActionInput["by"]): boolean {
  if (by.kind !== "agent") return false;
  const view = flowNamed(meta.flow).view?.(meta.state, meta.line);
  return !by.agentId || view?.agentId !== by.agentId;
}

/** Hangs up every live leg; the flow settles from the hang-ups, as for any other ending. */
export function endCall(store: CallStore, meta: SessionMeta, input: ActionInput): ActionReply {
  if (input.by.kind !== "admin") return refuse(403, "Forbidden", "Only an admin may end a call.");
  const legs = Object.keys(meta.liveLegs);
  for (const leg of legs)
    if (!store.hasPendingHangup(leg))
      store.enqueue(
        `${meta.sessionId}:end:${input.key}:${leg}`,
        `telnyx:${leg}`,
        "call",
        { type: "hangup", leg: legId(leg) },
        Date.now(),
      );
  logCallIssue(meta.sessionId, "ended_by_admin", { legs: legs.length });
  return { ok: true, result: { hanging_up: legs.length } };
}
