/**
 * One JSON line per call state transition, for `wrangler tail`: enough to rebuild a call, and
 * nothing that must not leave the call: phone numbers masked to their last 4, no digits at all
 * while a flow marks its step sensitive, and never command payloads (only their types).
 * A capability's own events are described by the capability (or logged by type alone).
 */
import type { EngineEvent, Tagged, TaggedEvent } from "../ivr/types";

/** "+14155550123" → "***0123"; SIP URIs keep only their last 4 characters too. */
export function maskNumber(value: string): string {
  return value.length <= 4 ? "***" : `***${value.slice(-4)}`;
}

/** An engine event as it may appear in a log line; undefined for events the engine does not own. */
function describeEngineEvent(event: EngineEvent, sensitive: boolean): Record<string, unknown> | undefined {
  switch (event.type) {
    case "call_started":
      return { type: event.type, from: maskNumber(event.from), to: maskNumber(event.to) };
    case "digits_gathered":
      return {
        type: event.type,
        status: event.status,
        digits: sensitive ? `[${event.digits.length} redacted]` : event.digits,
      };
    case "dtmf_received":
      return { type: event.type, digit: sensitive ? "[redacted]" : event.digit };
    case "voice_answered":
      // What a caller said is theirs: its length only, never the words.
      return { type: event.type, status: event.status, answer: `[${event.answer?.length ?? 0} chars]` };
    case "leg_hung_up":
      return {
        type: event.type,
        role: event.role,
        cause: event.cause,
        ...(event.source ? { source: event.source } : {}),
      };
    case "timer_fired":
      return { type: event.type, name: event.name };
    case "agent_reserved":
    case "agent_offered":
      return { type: event.type, agentId: event.agentId };
    case "action_requested":
      return { type: event.type, action: event.action, by: event.by.kind };
    default:
      return undefined;
  }
}

export function describeEvent(
  event: TaggedEvent,
  sensitive: boolean,
  describe?: (event: TaggedEvent) => Record<string, unknown> | undefined,
): Record<string, unknown> {
  return describeEngineEvent(event as EngineEvent, sensitive) ?? describe?.(event) ?? { type: event.type };
}

export interface TransitionLog {
  call: string;
  line: string;
  event: TaggedEvent;
  from: string;
  to: string;
  commands: Tagged[];
  sensitive: boolean;
  describe?: (event: TaggedEvent) => Record<string, unknown> | undefined;
}

export function logTransition(entry: TransitionLog): void {
  console.log(
    JSON.stringify({
      msg: "call.transition",
      call: entry.call,
      line: entry.line,
      event: describeEvent(entry.event, entry.sensitive, entry.describe),
      from: entry.from,
      to: entry.to,
      commands: entry.commands.map((c) => c.type),
    }),
  );
}

/** Operational problems (retries, dropped commands). `detail` must already be free of card data. */
export function logCallIssue(call: string, issue: string, detail: Record<string, unknown> = {}): void {
  console.warn(JSON.stringify({ msg: "call.issue", call, issue, ...detail }));
}

/** Problems an operator must act on (a dead letter, an unreadable state): an error line. */
export function logCallError(call: string, issue: string, detail: Record<string, unknown> = {}): void {
  console.error(JSON.stringify({ level: "error", msg: "call.error", call, issue, ...detail }));
}
