/**
 * Carries out one outbox command for a CallSession and says what came of it: done (maybe with a
 * result event for the flow), retry later (same command id / idempotency key), or drop (final).
 * The only place card data leaves memory: handed to the payments adapter, never returned or logged.
 */
import { loadConfig } from "../src/config";
import { createDb, type Db } from "../src/db/client";
import { createStripePayments } from "../src/payments/stripe-payments";
import { writeCallRecord, type TimelineEntry } from "../src/db/call-records";
import type { CallEvent, CardField, Command, LegRole } from "../src/ivr/types";
import { PaymentsRejectedError, PaymentsUnavailableError, type Payments } from "../src/payments/payments";
import { encodeClientState } from "../src/telnyx/client-state";
import { isTelnyxCommand, toTelnyxRequest } from "../src/telnyx/commands";
import { createTelnyxClient, TelnyxError, type TelnyxClient } from "../src/telnyx/telnyx-client";
import type { LineSession } from "./line-session";
import { confirmPayment, preparePayment } from "./payment-effects";

export type EffectOutcome =
  { kind: "done"; event?: CallEvent } | { kind: "retry"; reason: string } | { kind: "drop"; reason: string };

export interface EffectDeps {
  telnyx: TelnyxClient;
  payments: Payments;
  db: Db;
  lineSession(lineId: string): DurableObjectStub<LineSession>;
}

/** The real adapters, from the Worker's configuration. */
export function createEffectDeps(env: Env): EffectDeps {
  const cfg = loadConfig(env);
  return {
    telnyx: createTelnyxClient({ apiBase: cfg.TELNYX_API_BASE, apiKey: cfg.TELNYX_API_KEY }),
    payments: createStripePayments({ secretKey: cfg.STRIPE_SECRET_KEY, apiBase: cfg.STRIPE_API_BASE }),
    db: createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN),
    lineSession: (lineId) => env.LINE_SESSION.getByName(lineId),
  };
}

/**
 * Stripe saves a 500 under its idempotency key and replays it for ever, so a money command that
 * failed gets a fresh key per retry. Safe only because capture, cancel, refund and release are
 * state-checked in the adapter (already captured / cancelled / refunded counts as done).
 */
function retryKey(key: string, fx: EffectContext): string {
  return fx.attempt === 0 ? key : `${key}:retry${fx.attempt}`;
}

export interface EffectContext {
  sessionId: string;
  commandId: string;
  /** How many times this command has failed before (0 on its first send). */
  attempt: number;
  voice: string;
  connectionId: string | undefined;
  roleOf(leg: string): LegRole;
  /** Card fields held in memory only; cleared once Stripe has answered. */
  card: Map<CardField, string>;
  timeline(): TimelineEntry[];
  now(): number;
}

export async function runEffect(cmd: Command, fx: EffectContext, deps: EffectDeps): Promise<EffectOutcome> {
  try {
    if (isTelnyxCommand(cmd)) {
      const role = cmd.type === "dial" ? cmd.role : fx.roleOf(cmd.leg);
      const clientState = encodeClientState({ s: fx.sessionId, r: role });
      const targetClientState =
        cmd.type === "transfer" ? encodeClientState({ s: fx.sessionId, r: "agent:transfer" }) : undefined;
      await deps.telnyx.send(
        toTelnyxRequest(cmd, {
          commandId: fx.commandId,
          clientState,
          voice: fx.voice,
          connectionId: fx.connectionId,
          targetClientState,
        }),
      );
      return { kind: "done" };
    }
    return await runNonTelnyx(cmd, fx, deps);
  } catch (err) {
    return classify(err);
  }
}

async function runNonTelnyx(cmd: Command, fx: EffectContext, deps: EffectDeps): Promise<EffectOutcome> {
  const at = fx.now();
  switch (cmd.type) {
    case "prepare_payment":
      return preparePayment(cmd, fx, deps.payments);
    case "confirm_payment":
      return confirmPayment(cmd, fx, deps.payments);
    case "capture_payment":
      await deps.payments.capture(cmd.paymentId, cmd.amount, retryKey(cmd.idempotencyKey, fx));
      return { kind: "done" };
    case "cancel_payment":
      await deps.payments.cancel(cmd.paymentId, retryKey(cmd.idempotencyKey, fx));
      return { kind: "done" };
    case "release_payment":
      await deps.payments.release(cmd.paymentId, retryKey(cmd.idempotencyKey, fx));
      return { kind: "done" };
    case "refund_payment":
      await deps.payments.refund(cmd.paymentId, retryKey(cmd.idempotencyKey, fx));
      return { kind: "done", event: { type: "payment_refunded", paymentId: cmd.paymentId, at } };
    case "reserve_agent": {
      const agent = await deps.lineSession(cmd.lineId).reserve(cmd.lineId, fx.sessionId, cmd.exclude);
      return agent
        ? { kind: "done", event: { type: "agent_reserved", ...agent, at } }
        : { kind: "done", event: { type: "no_agent_available", at } };
    }
    case "release_agent":
      await deps.lineSession(cmd.lineId).release(cmd.lineId, fx.sessionId, cmd.agentId);
      return { kind: "done" };
    case "join_hold_queue": {
      const position = await deps.lineSession(cmd.lineId).enqueue(cmd.lineId, fx.sessionId);
      return { kind: "done", event: { type: "queue_joined", position, at } };
    }
    case "leave_hold_queue":
      await deps.lineSession(cmd.lineId).dequeue(fx.sessionId);
      return { kind: "done" };
    case "record_call":
      await writeCallRecord(deps.db, fx.sessionId, cmd.record, fx.timeline());
      return { kind: "done", event: { type: "call_settled", at } };
    default:
      // In-memory and timer commands never reach the outbox; anything else is a bug worth seeing.
      return { kind: "drop", reason: `no executor for ${cmd.type}` };
  }
}

function classify(err: unknown): EffectOutcome {
  if (err instanceof TelnyxError) {
    if (err.callEnded) return { kind: "drop", reason: "call already ended (90018)" };
    return err.retryable ? { kind: "retry", reason: err.message } : { kind: "drop", reason: err.message };
  }
  if (err instanceof PaymentsUnavailableError) return { kind: "retry", reason: err.message };
  if (err instanceof PaymentsRejectedError) return { kind: "drop", reason: err.message };
  // Turso or a sibling Durable Object unreachable: keep the command and try again later.
  return { kind: "retry", reason: err instanceof Error ? err.name : "unknown error" };
}
