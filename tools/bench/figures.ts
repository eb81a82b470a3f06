/**
 * Turns one bench round's raw records into figures. Latency pairs each command the Telnyx
 * stand-in received with the latest webhook it had sent for the same call before that moment:
 * Worker route + signature check + Durable Object step + outbox send, as Telnyx would see it.
 * Duplicates are judged by what a command does (call, action, body), not by its command_id.
 */
import type { RecordedCommand, WebhookAttempt } from "../telnyx-standin/types";

export interface Figures {
  calls: number;
  connected: number;
  lost: number;
  records: number;
  setupsPerSec: number;
  setupP50Ms: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  commands: number;
  duplicatedCommands: number;
  resentCommands: number;
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** JSON with object keys sorted, so equal bodies compare equal whatever order they were built in. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** What a command does: its call, action and body, without the idempotency key and our opaque state. */
function effectKey(c: RecordedCommand): string {
  let body = c.body;
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    const { command_id: _id, client_state: _state, ...rest } = body as Record<string, unknown>;
    body = rest;
  }
  return canonicalJson([c.action, c.call_control_id, body]);
}

/**
 * Commands the stand-in executed more than once with the same effect (two `answer`s on one leg, two
 * identical `dial`s): a double send under different command_ids, which the stand-in's command_id
 * check cannot catch. Each such command counts once. An IVR re-prompting with an identical gather
 * would count too; the bench's scripted callers press valid keys, so a round has none.
 */
export function duplicatedCommands(commands: readonly RecordedCommand[]): number {
  const runs = new Map<string, number>();
  for (const c of commands) {
    if (!c.executed) continue;
    const key = effectKey(c);
    runs.set(key, (runs.get(key) ?? 0) + 1);
  }
  return [...runs.values()].filter((n) => n > 1).length;
}

export function latencyFigures(input: {
  n: number;
  setups: (number | null)[];
  elapsedMs: number;
  records: number;
  commands: RecordedCommand[];
  webhooks: WebhookAttempt[];
}): Figures {
  const connected = input.setups.filter((s): s is number => s !== null).sort((a, b) => a - b);
  const hooksBySession = new Map<string, number[]>();
  for (const w of input.webhooks) {
    if (!w.call_session_id) continue;
    const list = hooksBySession.get(w.call_session_id) ?? [];
    list.push(w.sentAt);
    hooksBySession.set(w.call_session_id, list);
  }
  const latencies: number[] = [];
  for (const c of input.commands) {
    if (!c.command_id) continue;
    const session = c.command_id.split(":")[0]!;
    const sent = (hooksBySession.get(session) ?? []).filter((t) => t <= c.receivedAt);
    if (sent.length) latencies.push(c.receivedAt - Math.max(...sent));
  }
  latencies.sort((a, b) => a - b);
  return {
    calls: input.n,
    connected: connected.length,
    lost: input.n - connected.length,
    records: input.records,
    setupsPerSec: Math.round((connected.length / (input.elapsedMs / 1000)) * 10) / 10,
    setupP50Ms: percentile(connected, 50),
    latencyP50Ms: percentile(latencies, 50),
    latencyP99Ms: percentile(latencies, 99),
    commands: input.commands.length,
    // The same effect executed twice, whatever the command_ids: must be 0.
    duplicatedCommands: duplicatedCommands(input.commands),
    // Sent again after a failure or timeout and dropped by the platform as a repeat: harmless.
    resentCommands: input.commands.filter((c) => c.status === 200 && !c.executed).length,
  };
}
