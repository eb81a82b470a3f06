/**
 * Telnyx call queues (enqueue / leave_queue): a queued leg is unbridged (its partner parks or is
 * hung up per park_after_unbridge), hears hold music, and leaves with call.dequeued and a reason
 * (bridged, leave, hangup). Positions are 1-based, as Telnyx reports them.
 */
import type { Engine, Leg } from "./leg";
import { telnyxErrors } from "./telnyx-errors";

export type QueueHost = Engine & { queues: Map<string, Leg[]>; unbridge(leg: Leg): void };

/** Checks done before the command is answered, so a full queue gets Telnyx's 422. */
export function checkCanEnqueue(host: QueueHost, leg: Leg, name: string, maxSize: number): void {
  if (leg.queue) throw telnyxErrors.alreadyInQueue();
  const members = host.queues.get(name) ?? [];
  if (members.length >= maxSize) throw telnyxErrors.queueFull(name);
}

/** Runs after enqueue's checks passed and the command was answered. */
export function joinQueue(host: QueueHost, leg: Leg, name: string): void {
  if (leg.queue || leg.state === "ended") return;
  host.unbridge(leg);
  const members = host.queues.get(name) ?? [];
  members.push(leg);
  host.queues.set(name, members);
  leg.queue = { name, since: Date.now() };
  host.emit(leg, "call.enqueued", {
    queue: name,
    current_position: members.length,
    queue_avg_wait_time_secs: 0,
  });
  host.hear(leg, { kind: "hold_music", queue: name });
}

export function leaveQueue(host: QueueHost, leg: Leg, reason: "bridged" | "leave" | "hangup"): void {
  const q = leg.queue;
  if (!q) return;
  const members = host.queues.get(q.name) ?? [];
  const position = members.indexOf(leg) + 1;
  host.queues.set(
    q.name,
    members.filter((m) => m !== leg),
  );
  leg.queue = undefined;
  host.emit(leg, "call.dequeued", {
    queue: q.name,
    queue_position: Math.max(position, 1),
    reason,
    wait_time_secs: Math.round((Date.now() - q.since) / 1000),
  });
}
