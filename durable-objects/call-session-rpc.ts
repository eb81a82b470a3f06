/**
 * The shapes CallSession's RPC methods take and answer (the Worker's routes, LineSession and the
 * tests call them through a stub).
 */
import type { ActionPrincipal, EngineEvent } from "../src/ivr/types";

export interface IncomingEvent {
  eventId: string;
  sessionId: string;
  event: EngineEvent;
}

export interface ActionInput {
  /** The client's idempotency key: a retried request with the same key is answered, not redone. */
  key: string;
  action: string;
  params: Record<string, unknown>;
  by: ActionPrincipal;
}

export interface CallSnapshot {
  flow: string;
  phase: string;
  version: number;
  liveLegs: Record<string, string>;
  doneAt: number | null;
  /** The flow's own state as JSON (RPC cannot type `unknown`). */
  stateJson: string;
  outbox: number;
  /** Every queued command as JSON (the card-data scan reads these mid-call). */
  outboxJson: string[];
  deadLetters: { commandId: string; command: string; reason: string }[];
  nextDue: number | null;
  /** How many values sit in this call's volatile memory right now (never the values). */
  heldInMemory: number;
}

export type ReceiveResult = "applied" | "ignored" | "duplicate" | "held" | "ended";
