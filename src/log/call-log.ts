/**
 * One JSON line per call state transition, for `wrangler tail`: enough to rebuild a call, and
 * nothing that must not leave the call: phone numbers masked to their last 4, no digits at all
 * while a flow marks its step sensitive, and never command payloads (only their types).
 */
import type { CallEvent, Command } from "../ivr/types";

/** "+14155550123" → "***0123"; SIP URIs keep only their last 4 characters too. */
export function maskNumber(value: string): string {
  return value.length <= 4 ? "***" : `***${value.slice(-4)}`;
}

/** The event as it may appear in a log line. */
export function describeEvent(event: CallEvent, sensitive: boolean): Record<string, unknown> {
  switch (event.type) {
    case "call_started":
      return { type: event.type, from: maskNumber(event.from), to: maskNumber(event.to) };
    case "digits_gathered":
      return {
        type: event.type,
        status: event.status,
        digits: sensitive ? `[${event.digits.length} redacted]` : event.digits,
      };
    case "leg_hung_up":
      return { type: event.type, role: event.role, cause: event.cause };
    case "timer_fired":
      return { type: event.type, name: event.name };
    case "payment_declined":
      return { type: event.type, reason: event.reason };
    case "agent_reserved":
    case "agent_offered":
      return { type: event.type, agentId: event.agentId };
    default:
      return { type: event.type };
  }
}

export interface TransitionLog {
  call: string;
  line: string;
  event: CallEvent;
  from: string;
  to: string;
  commands: Command[];
  sensitive: boolean;
}

export function logTransition(entry: TransitionLog): void {
  console.log(
    JSON.stringify({
      msg: "call.transition",
      call: entry.call,
      line: entry.line,
      event: describeEvent(entry.event, entry.sensitive),
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
