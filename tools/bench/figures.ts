/**
 * Turns one bench round's raw records into figures. Latency pairs each command the Telnyx
 * stand-in received with the latest webhook it had sent for the same call before that moment:
 * Worker route + signature check + Durable Object step + outbox send, as Telnyx would see it.
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
  const executedIds = new Map<string, number>();
  for (const c of input.commands) {
    if (!c.command_id) continue;
    if (c.executed) executedIds.set(c.command_id, (executedIds.get(c.command_id) ?? 0) + 1);
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
    // The same command executed twice by the platform: must be 0 (command_ids are deterministic).
    duplicatedCommands: [...executedIds.values()].filter((n) => n > 1).length,
    // Sent again after a failure or timeout and dropped by the platform as a repeat: harmless.
    resentCommands: input.commands.filter((c) => c.status === 200 && !c.executed).length,
  };
}
