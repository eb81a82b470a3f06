/**
 * Reading a session stored by another version of the code. The shell's own shape (SessionMeta,
 * STATE_SCHEMA_VERSION) is upgraded here; the flow's state goes to the flow's migrate(). What
 * cannot be read is never guessed at: the call is abandoned safely — every live leg hung up, a
 * failed call record written, the payments it may hold named in an error line for an operator.
 */
import type { AnyFlow } from "../src/engine/product";
import { legId, type CallRecord } from "../src/ivr/types";
import { logCallError } from "../src/log/call-log";
import { STATE_SCHEMA_VERSION, type CallStore, type SessionMeta } from "./call-store";
import { CLEANUP_TIMER, describeState, STALE_TIMER, TOMBSTONE_MS } from "./session-step";

export type Readable = { kind: "ok"; meta: SessionMeta } | { kind: "unreadable"; reason: string };

const ABANDONED = "__abandoned";

export function readable(stored: SessionMeta, flowOf: (name: string) => AnyFlow | undefined): Readable {
  // Schema 1 had no flowVersion: its states were the flows' version 1.
  const meta: SessionMeta = (stored.schema ?? 1) < 2 ? { ...stored, schema: 2, flowVersion: 1 } : stored;
  if (meta.schema > STATE_SCHEMA_VERSION)
    return { kind: "unreadable", reason: `stored by a newer version (schema ${meta.schema})` };
  if ((meta.state as Record<string, unknown> | null)?.[ABANDONED]) return { kind: "ok", meta };
  const flow = flowOf(meta.flow);
  if (!flow) return { kind: "unreadable", reason: `no flow named ${meta.flow}` };
  const current = flow.stateVersion ?? 1;
  if (meta.flowVersion === current) return { kind: "ok", meta };
  if (meta.flowVersion > current)
    return { kind: "unreadable", reason: `flow state ${meta.flowVersion} is newer than ${current}` };
  const migrated = flow.migrate?.(meta.state, meta.flowVersion) ?? null;
  if (migrated === null)
    return { kind: "unreadable", reason: `flow state ${meta.flowVersion} cannot be read as ${current}` };
  return { kind: "ok", meta: { ...meta, state: migrated, flowVersion: current } };
}

/** Payment ids anywhere in a state we cannot read: an operator must look at each. */
const paymentIdsIn = (state: unknown): string[] => [
  ...new Set(JSON.stringify(state ?? null).match(/\bpi_[A-Za-z0-9_]+/g) ?? []),
];

export function abandonUnreadable(
  store: CallStore,
  meta: SessionMeta,
  reason: string,
  now: number,
): SessionMeta {
  logCallError(meta.sessionId, "unreadable_state", {
    reason,
    flow: meta.flow,
    phase: describeState(meta.state),
    legs: Object.keys(meta.liveLegs).length,
    payments: paymentIdsIn(meta.state),
  });
  for (const leg of Object.keys(meta.liveLegs))
    store.enqueue(
      `${meta.sessionId}:abandon:${leg}`,
      `telnyx:${leg}`,
      "call",
      { type: "hangup", leg: legId(leg) },
      now,
    );
  const caller = (meta.state as { caller?: { from?: unknown; to?: unknown } } | null)?.caller;
  const record: CallRecord = {
    lineId: meta.line.id,
    product: meta.line.product,
    callerNumber: typeof caller?.from === "string" ? caller.from : "",
    calledNumber: typeof caller?.to === "string" ? caller.to : meta.line.number,
    startedAt: meta.startedAt,
    answeredAt: null,
    talkStartedAt: null,
    endedAt: meta.lastEventTime,
    billableSeconds: 0,
    amount: 0,
    currency: "usd",
    status: "failed",
    hangupCause: "unreadable_state",
    endedBy: "system",
    agentId: null,
    cardBrand: null,
    cardLast4: null,
    paymentId: null,
    payments: [],
    voicemail: null,
  };
  if (meta.line.id)
    store.enqueue(`${meta.sessionId}:abandon:record`, "record", "work", { type: "record_call", record }, now);
  const abandoned: SessionMeta = {
    ...meta,
    schema: STATE_SCHEMA_VERSION,
    state: { phase: "abandoned", [ABANDONED]: true, caller: caller ?? null },
    doneAt: now,
  };
  store.putMeta(abandoned);
  store.clearTimer(STALE_TIMER);
  store.setTimer(CLEANUP_TIMER, now + TOMBSTONE_MS);
  return abandoned;
}
