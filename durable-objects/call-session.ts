/**
 * CallSession: one Durable Object per call (named by Telnyx's call_session_id). A thin shell around
 * the pure flows: dedupe the event id → step → persist state, timers and outbox in one synchronous
 * transaction → send the outbox in order → arm one alarm at the earliest timer or retry.
 * Card data lives only in this object's memory (`card`), never in storage.
 */
import { DurableObject } from "cloudflare:workers";
import { loadConfig } from "../src/config";
import { createDb } from "../src/db/client";
import { findActiveLineByNumber } from "../src/db/lines";
import {
  legId,
  type CallEvent,
  type CardField,
  type Command,
  type Flow,
  type LegRole,
} from "../src/ivr/types";
import { logCallIssue } from "../src/log/call-log";
import { flowFor } from "../src/products/flows";
import { notInServiceFlow } from "../src/products/not-in-service/flow";
import { CallStore, STATE_SCHEMA_VERSION, type SessionMeta } from "./call-store";
import { createEffectDeps, runEffect, type EffectContext, type EffectDeps } from "./effects";
import { planRetry } from "./retry-policy";
import type { ReservedAgent } from "./line-session";
import { applyStep, CLEANUP_TIMER, describeState, STALE_TIMER } from "./session-step";

export interface IncomingEvent {
  eventId: string;
  sessionId: string;
  event: CallEvent;
}

export interface CallSnapshot {
  flow: string;
  phase: string;
  version: number;
  liveLegs: Record<string, string>;
  doneAt: number | null;
  /** The flow's state as JSON (RPC cannot type `unknown`). */
  stateJson: string;
  outbox: number;
  nextDue: number | null;
  /** How many card fields sit in memory right now (never their values). */
  heldCardFields: number;
}

export type ReceiveResult = "applied" | "ignored" | "duplicate" | "held" | "ended";

const EARLY_TIMER = "__early";
const EARLY_EXPIRY_MS = 10 * 60_000;
/** How long the background send has before the alarm takes over from it. */
const BACKSTOP_MS = 5_000;

/**
 * A speak or gather Telnyx never ran will never report its end: tell the flow it ended (unheard,
 * no digits), so a caller is not left in silence waiting for an event that cannot come.
 */
function eventInsteadOf(cmd: Command, at: number): CallEvent | undefined {
  if (cmd.type === "speak") return { type: "speak_ended", leg: cmd.leg, at };
  if (cmd.type === "gather")
    return { type: "digits_gathered", leg: cmd.leg, digits: "", status: "timeout", at };
  return undefined;
}

function flowNamed(name: string): Flow<unknown> {
  if (name === notInServiceFlow.name) return notInServiceFlow;
  const flow = flowFor(name);
  if (!flow) throw new Error(`no flow for product ${name}`);
  return flow;
}

export class CallSession extends DurableObject<Env> {
  private store: CallStore;
  private readonly card = new Map<CardField, string>();
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private deps: EffectDeps | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new CallStore(ctx.storage.sql);
  }

  /** A webhook's event. Resolves once it is durably recorded; commands are sent in the background. */
  async receive(input: IncomingEvent): Promise<ReceiveResult> {
    if (this.store.hasSeen(input.eventId)) return "duplicate";
    let meta = this.store.getMeta();
    if (!meta) {
      if (input.event.type !== "call_started") {
        // Telnyx does not guarantee order: keep it until the call's first event arrives.
        this.store.holdEarly(input.eventId, input.event, Date.now());
        this.store.setTimer(EARLY_TIMER, (this.store.oldestEarly() ?? Date.now()) + EARLY_EXPIRY_MS);
        await this.armAlarm();
        return "held";
      }
      meta = await this.startSession(input);
      if (!meta) return "duplicate";
    }
    const result = this.apply(input.eventId, input.event);
    if (result === "applied") {
      for (const early of this.store.takeEarly()) this.apply(early.id, early.event);
      await this.kick();
    }
    return result;
  }

  /** LineSession offers a freed rep to this queued call; false if the call no longer wants one. */
  async offerAgent(agent: ReservedAgent): Promise<boolean> {
    const eventId = `offer:${agent.agentId}:${Date.now()}`;
    const result = this.apply(eventId, { type: "agent_offered", ...agent, at: Date.now() });
    if (result === "applied") await this.kick();
    return result === "applied";
  }

  /** Resolves when every command that can be sent now has been sent (tests and the bench use it). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** What an operator (or a test) may see of a live call: never card data (there is none stored). */
  inspect(): CallSnapshot | null {
    const meta = this.store.getMeta();
    if (!meta) return null;
    return {
      flow: meta.flow,
      phase: describeState(meta.state),
      version: meta.version,
      liveLegs: meta.liveLegs,
      doneAt: meta.doneAt,
      stateJson: JSON.stringify(meta.state),
      outbox: this.store.outboxSize(),
      nextDue: this.store.nextDue(),
      heldCardFields: this.card.size,
    };
  }

  override async alarm(): Promise<void> {
    // The alarm fires at the earliest due item, so anything due by then (or by now) is due.
    const dueBy = Math.max(Date.now(), this.store.getArmedAt() ?? 0);
    for (let t = this.store.takeDueTimer(dueBy); t; t = this.store.takeDueTimer(dueBy)) {
      if (t.name === CLEANUP_TIMER) return this.cleanUp();
      // Early events whose call never started: nothing else lives here, so forget them.
      if (t.name === EARLY_TIMER) {
        if (!this.store.getMeta()) return this.cleanUp();
        continue;
      }
      if (t.name === STALE_TIMER) this.guardStaleCall();
      else this.apply(`timer:${t.name}:${t.at}`, { type: "timer_fired", name: t.name, at: t.at });
    }
    await this.drain(dueBy);
  }

  private async startSession(input: IncomingEvent): Promise<SessionMeta | null> {
    const event = input.event as Extract<CallEvent, { type: "call_started" }>;
    const cfg = loadConfig(this.env);
    // Throws if Turso is down: the route answers 5xx and Telnyx redelivers.
    const line = await findActiveLineByNumber(
      createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN),
      event.to,
    );
    const existing = this.store.getMeta();
    if (existing) return existing; // a concurrent duplicate started it while we looked the line up
    const flowName = line ? line.product : notInServiceFlow.name;
    const lineInfo = line ?? {
      id: "",
      number: event.to,
      name: "",
      product: flowName,
      voice: "female",
      config: {},
    };
    const flow = flowNamed(flowName);
    const meta: SessionMeta = {
      schema: STATE_SCHEMA_VERSION,
      sessionId: input.sessionId,
      flow: flowName,
      line: lineInfo,
      version: 0,
      state: flow.init({ now: Date.now(), sessionId: input.sessionId, line: lineInfo }),
      startedAt: event.at,
      lastEventAt: Date.now(),
      lastEventTime: event.at,
      liveLegs: {},
      sensitive: false,
      doneAt: null,
      connectionId: event.connectionId ?? null,
    };
    this.store.putMeta(meta);
    this.store.clearTimer(EARLY_TIMER);
    return meta;
  }

  private apply(eventId: string, event: CallEvent): ReceiveResult {
    return this.ctx.storage.transactionSync(() => this.applyInTransaction(eventId, event));
  }

  private applyInTransaction(eventId: string, event: CallEvent): ReceiveResult {
    const meta = this.store.getMeta();
    if (!meta) return "ignored";
    if (!this.store.markSeen(eventId)) return "duplicate";
    if (meta.doneAt !== null) return "ended"; // tombstone: late webhooks change nothing
    const outcome = applyStep(this.store, meta, flowNamed(meta.flow), event, Date.now(), this.card);
    return outcome.changed ? "applied" : "ignored";
  }

  /** Starts sending the outbox without holding up the webhook's answer; an alarm backs it up. */
  private async kick(): Promise<void> {
    // Armed before the send starts: if this object dies mid-send, the alarm sends the rest.
    await this.armAlarm(Date.now() + BACKSTOP_MS);
    this.ctx.waitUntil(this.drain(Date.now()));
  }

  private async drain(dueBy: number): Promise<void> {
    if (this.draining) {
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.drainAgain = false;
          await this.sendDue(dueBy);
        } while (this.drainAgain);
      } finally {
        await this.armAlarm();
      }
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  /** Sends outbox commands strictly in order; a command that must wait holds back those after it. */
  private async sendDue(dueBy: number): Promise<void> {
    for (let head = this.store.outboxHead(); head; head = this.store.outboxHead()) {
      if (head.nextAt > Math.max(dueBy, Date.now())) return;
      const meta = this.store.getMeta();
      if (!meta) return;
      const outcome = await runEffect(
        head.command,
        this.effectContext(meta, head.commandId, head.attempts),
        (this.deps ??= createEffectDeps(this.env)),
      );
      let event = outcome.kind === "done" ? outcome.event : undefined;
      if (outcome.kind === "retry") {
        const attempts = head.attempts + 1;
        const plan = planRetry(head.command, attempts);
        const detail = { command: head.command.type, attempts, reason: outcome.reason };
        if (!plan.giveUp) {
          logCallIssue(meta.sessionId, "command_retry", detail);
          this.store.deferCommand(head.seq, attempts, Date.now() + plan.delayMs);
          return;
        }
        logCallIssue(meta.sessionId, "command_dropped", detail);
        event = eventInsteadOf(head.command, Date.now());
      } else if (outcome.kind === "drop") {
        logCallIssue(meta.sessionId, "command_final_error", {
          command: head.command.type,
          reason: outcome.reason,
        });
        event = eventInsteadOf(head.command, Date.now());
      }
      // Completing the command and feeding its result to the flow is one transaction: exactly once.
      this.ctx.storage.transactionSync(() => {
        this.store.completeCommand(head.seq);
        if (event) this.applyInTransaction(`fx:${head.commandId}`, event);
      });
    }
  }

  /** No hang-up seen long after the call should have ended: hang up every leg and settle. */
  private guardStaleCall(): void {
    const meta = this.store.getMeta();
    if (!meta || meta.doneAt !== null) return;
    const flow = flowNamed(meta.flow);
    const endAt = flow.deadline?.(meta.state) ?? meta.lastEventTime;
    logCallIssue(meta.sessionId, "stale_call_guard", { legs: Object.keys(meta.liveLegs).length });
    // The flow hears every leg hang up at the last known time (so billing stops there); then any
    // leg the flow did not hang up itself is hung up here.
    const legs = Object.entries(meta.liveLegs);
    for (const [leg, role] of legs) {
      const event = {
        type: "leg_hung_up",
        leg: legId(leg),
        role: role as LegRole,
        cause: "unspecified",
        at: endAt,
      } as const;
      this.apply(`stale:${leg}`, event);
    }
    for (const [leg] of legs)
      if (!this.store.hasPendingHangup(leg))
        this.store.enqueue(`${meta.sessionId}:stale:${leg}`, { type: "hangup", leg: legId(leg) }, Date.now());
  }

  private async cleanUp(): Promise<void> {
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.store = new CallStore(this.ctx.storage.sql);
    this.card.clear();
  }

  private async armAlarm(outboxNotBefore = 0): Promise<void> {
    const next = this.store.nextDue(outboxNotBefore);
    this.store.setArmedAt(next);
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }

  private effectContext(meta: SessionMeta, commandId: string, attempt: number): EffectContext {
    return {
      sessionId: meta.sessionId,
      commandId,
      attempt,
      voice: meta.line.voice,
      connectionId: meta.connectionId ?? undefined,
      roleOf: (leg: string) => (meta.liveLegs[leg] ?? "caller") as LegRole,
      card: this.card,
      timeline: () => this.store.timeline(),
      now: () => Date.now(),
    };
  }
}
