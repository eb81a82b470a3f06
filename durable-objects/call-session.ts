/**
 * CallSession: one Durable Object per call (named by Telnyx's call_session_id). A thin shell around
 * the pure flows: dedupe the event id → step → persist state, timers and outbox in one synchronous
 * transaction → send the outbox lane by lane → arm one alarm at the earliest timer or retry.
 * Events come from Telnyx webhooks, from effects' results and from the API (actions, with an
 * idempotency key). Card data lives only in this object's memory, never in storage.
 */
import { DurableObject } from "cloudflare:workers";
import type { CallMemory, EffectDeps, EffectOutcome } from "../src/engine/effect";
import { refuse } from "../src/ivr/actions";
import type { ActionReply, EngineEvent, LegRole, TaggedEvent } from "../src/ivr/types";
import { products } from "../src/products/registry";
import { endCall, NOT_YOUR_CALL, notTheAgent } from "./call-actions";
import type { ActionInput, CallSnapshot, IncomingEvent, ReceiveResult } from "./call-session-rpc";
import { CallStore, type OutboxRow, type SessionMeta } from "./call-store";
import { reportDeadLetters } from "./dead-letter-report";
import { createEffectRegistry, type EffectRegistry } from "./effect-registry";
import { classifyEffectError, createEffectDeps } from "./effect-context";
import { engineEffects, type LivenessEvent } from "./engine-effects";
import type { ReservedAgent } from "./line-session";
import { frameKey, liveFrame, type LiveFrame } from "./live-view";
import { OutboxPump } from "./outbox-pump";
import { flowNamed, openSession } from "./session-open";
import {
  CLEANUP_TIMER,
  applyStep,
  describeState,
  LIVENESS_CHECK_MS,
  STALE_TIMER,
  type StepDeps,
} from "./session-step";
import { checkLiveLegs, onLiveness } from "./stale-guard";
import { abandonUnreadable, readable } from "./state-schema";

export type { ActionInput, CallSnapshot, IncomingEvent, ReceiveResult } from "./call-session-rpc";

const EARLY_TIMER = "__early";
const EARLY_EXPIRY_MS = 10 * 60_000;
/** How long the background send has before the alarm takes over from it. */
const BACKSTOP_MS = 5_000;

/** Built on first use, after every product (a test's too) has registered its capabilities. */
let built: EffectRegistry | null = null;
const effects = (): EffectRegistry =>
  (built ??= createEffectRegistry([engineEffects, ...products.capabilities()]));

export class CallSession extends DurableObject<Env> {
  private store: CallStore;
  private readonly memory: CallMemory = new Map();
  private readonly pump: OutboxPump;
  private draining: Promise<void> | null = null;
  private drainAgain = false;
  private deps: EffectDeps | null = null;
  private lastPushed = "";

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.store = new CallStore(ctx.storage.sql);
    this.pump = new OutboxPump({
      store: () => this.store,
      sessionId: () => this.store.getMeta()?.sessionId ?? "",
      handlerFor: (type) => effects().handlerFor(type),
      run: (row) => this.runCommand(row),
      finish: (row, event) =>
        this.ctx.storage.transactionSync(() => {
          this.store.completeCommand(row.seq);
          if (event) this.applyInTransaction(`fx:${row.commandId}`, event);
        }),
      changed: () => this.push(),
    });
  }

  /** A webhook's event. Resolves once it is durably recorded; commands are sent in the background. */
  async receive(input: IncomingEvent): Promise<ReceiveResult> {
    if (this.store.hasSeen(input.eventId)) return "duplicate";
    let meta = this.store.getMeta();
    if (!meta) {
      if (input.event.type !== "call_started") {
        // Telnyx does not guarantee order: keep it (without digits) until the call's first event.
        this.store.holdEarly(input.eventId, input.event, Date.now());
        this.store.setTimer(EARLY_TIMER, (this.store.oldestEarly() ?? Date.now()) + EARLY_EXPIRY_MS);
        await this.armAlarm();
        return "held";
      }
      meta = await this.startSession(input);
      if (!meta) return "duplicate";
    }
    const result = this.apply(input.eventId, input.event, true);
    if (result === "applied")
      for (const early of this.store.takeEarly()) this.apply(early.id, early.event, true);
    // Also after an "ended": abandoning an unreadable session leaves hang-ups to send.
    if (result === "applied" || this.store.outboxSize() > 0) await this.kick();
    return result;
  }

  /**
   * An action from outside (an agent's request, an admin ending the call), applied once per key:
   * a retry with the same key gets the first answer; the same key for another request is refused.
   */
  async act(input: ActionInput): Promise<ActionReply> {
    const meta = this.store.getMeta();
    if (!meta) return refuse(404, "No such call", "This call is not live here.");
    // Another agent is refused before their key is looked at: a key someone else used on this
    // call must not tell them anything (it would answer 422 "reused", not 403).
    const current = this.readableMeta();
    if (current && current.doneAt === null && notTheAgent(current, input.by)) return NOT_YOUR_CALL;
    const fingerprint = JSON.stringify([input.action, input.params, input.by]);
    const seen = this.store.actionReply(input.key);
    if (seen) {
      if (seen.fingerprint !== fingerprint)
        return refuse(
          422,
          "Idempotency key reused",
          "This Idempotency-Key was used for a different request.",
        );
      return (
        seen.reply ??
        refuse(409, "In progress", "A request with this Idempotency-Key is still being handled.")
      );
    }
    const reply = this.ctx.storage.transactionSync(() => this.actInTransaction(input, fingerprint));
    await this.kick();
    return reply;
  }

  private actInTransaction(input: ActionInput, fingerprint: string): ActionReply {
    const meta = this.readableMeta();
    this.store.claimAction(input.key, fingerprint);
    const answer = (reply: ActionReply) => {
      this.store.putActionReply(input.key, reply);
      return reply;
    };
    if (!meta || meta.doneAt !== null)
      return answer(refuse(409, "Call ended", "This call has already ended."));
    if (notTheAgent(meta, input.by)) return answer(NOT_YOUR_CALL);
    if (input.action === "end_call") return answer(endCall(this.store, meta, input));
    this.applyInTransaction(`act:${input.key}`, {
      type: "action_requested",
      action: input.action,
      key: input.key,
      params: input.params,
      by: input.by,
      at: Date.now(),
    });
    const reply = this.store.actionReply(input.key)?.reply;
    return (
      reply ??
      answer(refuse(409, "Not possible now", `This call cannot take "${input.action}" in its current state.`))
    );
  }

  /** LineSession offers a freed rep to this queued call, once per offer key; false if not wanted. */
  async offerAgent(agent: ReservedAgent, offerKey: string): Promise<boolean> {
    const key = `offer:${offerKey}`;
    const seen = this.store.actionReply(key);
    if (seen?.reply) return seen.reply.ok;
    const taken = this.ctx.storage.transactionSync(() => {
      this.store.claimAction(key, agent.agentId);
      const result = this.applyInTransaction(key, { type: "agent_offered", ...agent, at: Date.now() });
      const ok = result === "applied";
      this.store.putActionReply(
        key,
        ok ? { ok: true, result: {} } : refuse(409, "Not wanted", "The call no longer waits."),
      );
      return ok;
    });
    if (taken) await this.kick();
    return taken;
  }

  /** Resolves when every command that can be sent now has been sent (tests and the bench use it). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  /** The live call as the API and the console show it; null when there is no such call. */
  liveView(): LiveFrame | null {
    const meta = this.store.getMeta();
    return meta ? liveFrame(meta, flowNamed(meta.flow), Date.now()) : null;
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
      outboxJson: this.store.outboxRows().map((r) => JSON.stringify(r.command)),
      deadLetters: this.store
        .deadLetters()
        .map((d) => ({ commandId: d.commandId, command: d.command.type, reason: d.reason })),
      nextDue: this.store.nextDue(),
      heldInMemory: this.memory.size,
    };
  }

  /** An operator retries a dead letter now (it also retries on its own, hourly). */
  async retryDeadLetter(commandId: string): Promise<boolean> {
    const revived = this.store.reviveDeadLetter(commandId, Date.now());
    if (revived) await this.kick();
    return revived;
  }

  /** A WebSocket upgrade the API authorised: the subscriber gets the current frame, then every change. */
  override fetch(request: Request): Response {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket")
      return new Response("expected a WebSocket upgrade", { status: 426 });
    const meta = this.store.getMeta();
    if (!meta) return new Response("no such call", { status: 404 });
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [request.headers.get("x-meterline-viewer") ?? "viewer"]);
    server.send(JSON.stringify(liveFrame(meta, flowNamed(meta.flow), Date.now())));
    // A browser that offered a subprotocol fails the handshake unless the answer names one.
    const protocol = request.headers.get("sec-websocket-protocol");
    const headers: Record<string, string> = protocol ? { "sec-websocket-protocol": protocol } : {};
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  override webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): void {
    if (message === "ping") ws.send("pong");
  }

  override webSocketClose(ws: WebSocket, code: number): void {
    ws.close(code === 1005 ? 1000 : code, "bye");
  }

  override async alarm(): Promise<void> {
    // The alarm fires at the earliest due item, so anything due by then (or by now) is due.
    const dueBy = Math.max(Date.now(), this.store.getArmedAt() ?? 0);
    // Only what was due when this alarm began: a timer set meanwhile (a cutoff's wait for the
    // hang-ups) waits for its own time, even when this alarm itself ran early.
    const due = this.store.dueTimers(dueBy);
    for (let t = this.store.takeDueTimer(Date.now(), due); t; t = this.store.takeDueTimer(Date.now(), due)) {
      if (t.name === CLEANUP_TIMER) {
        if (this.store.deadLetters().length === 0) return this.cleanUp();
        // A dead letter (an unwritten record) must not be lost with the object: keep it.
        this.store.setTimer(CLEANUP_TIMER, dueBy + LIVENESS_CHECK_MS * 12);
        continue;
      }
      // Early events whose call never started: nothing else lives here, so forget them.
      if (t.name === EARLY_TIMER) {
        if (!this.store.getMeta()) return this.cleanUp();
        continue;
      }
      if (t.name === STALE_TIMER) this.ctx.storage.transactionSync(() => this.guardStaleCall());
      else this.apply(`timer:${t.name}:${t.at}`, { type: "timer_fired", name: t.name, at: t.at });
    }
    for (const dead of this.store.deadLetters())
      if (dead.nextRetryAt <= dueBy) this.store.reviveDeadLetter(dead.commandId, Date.now());
    await reportDeadLetters(this.env, this.store);
    await this.drain(dueBy);
  }

  private async startSession(input: IncomingEvent): Promise<SessionMeta | null> {
    const event = input.event as Extract<EngineEvent, { type: "call_started" }>;
    const fresh = await openSession(this.env, input.sessionId, event);
    const existing = this.store.getMeta();
    if (existing) return existing; // a concurrent duplicate started it while we looked the line up
    this.store.putMeta(fresh);
    this.store.clearTimer(EARLY_TIMER);
    return fresh;
  }

  private apply(eventId: string, event: EngineEvent | TaggedEvent, fromTelnyx = false): ReceiveResult {
    const result = this.ctx.storage.transactionSync(() =>
      this.applyInTransaction(eventId, event, fromTelnyx),
    );
    if (result === "applied") this.push();
    return result;
  }

  /** The stored session, upgraded if it was written by an older version, or abandoned safely. */
  private readableMeta(): SessionMeta | null {
    const meta = this.store.getMeta();
    if (!meta) return null;
    const upgraded = readable(meta, (name) => products.get(name)?.flow);
    if (upgraded.kind === "ok") return upgraded.meta;
    return abandonUnreadable(this.store, meta, upgraded.reason, Date.now());
  }

  private applyInTransaction(
    eventId: string,
    event: EngineEvent | TaggedEvent,
    fromTelnyx = false,
  ): ReceiveResult {
    const meta = this.readableMeta();
    if (!meta) return "ignored";
    if (!this.store.markSeen(eventId)) return "duplicate";
    if (meta.doneAt !== null) return "ended"; // tombstone: late webhooks change nothing
    if (event.type === "__leg_alive" || event.type === "__leg_unknown") {
      const liveness = event as LivenessEvent;
      onLiveness(this.store, meta, liveness, Date.now(), (hangUp) =>
        this.applyInTransaction(`stale:${liveness.leg}`, hangUp),
      );
      return "applied";
    }
    const deps: StepDeps = { store: this.store, registry: effects(), memory: this.memory };
    const outcome = applyStep(deps, meta, flowNamed(meta.flow), event, Date.now(), fromTelnyx);
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
          await this.pump.drain(dueBy);
        } while (this.drainAgain);
      } finally {
        await this.armAlarm();
      }
    })().finally(() => {
      this.draining = null;
    });
    return this.draining;
  }

  private async runCommand(row: OutboxRow): Promise<EffectOutcome> {
    const meta = this.store.getMeta();
    const handler = effects().handlerFor(row.command.type);
    if (!meta || handler?.kind !== "outbox")
      return { kind: "drop", reason: `no handler for ${row.command.type}` };
    try {
      return await handler.run(row.command, {
        sessionId: meta.sessionId,
        commandId: row.commandId,
        attempt: row.attempts,
        line: meta.line,
        connectionId: meta.connectionId ?? undefined,
        roleOf: (leg) => meta.liveLegs[leg] as LegRole | undefined,
        lastEventTime: meta.lastEventTime,
        memory: this.memory,
        timeline: () => this.store.timeline(),
        now: () => Date.now(),
        deps: (this.deps ??= createEffectDeps(this.env)),
      });
    } catch (err) {
      return classifyEffectError(err);
    }
  }

  /** No hang-up seen long after the call should have ended, or a long silence: ask Telnyx. */
  private guardStaleCall(): void {
    const meta = this.readableMeta();
    if (meta && meta.doneAt === null) checkLiveLegs(this.store, meta, Date.now());
  }

  /** Pushes the call's public frame to every subscriber, when something they can see changed. */
  private push(): void {
    const sockets = this.ctx.getWebSockets();
    if (sockets.length === 0) return;
    const meta = this.store.getMeta();
    if (!meta) return;
    const frame = liveFrame(meta, flowNamed(meta.flow), Date.now());
    const key = frameKey(frame);
    if (key === this.lastPushed) return;
    this.lastPushed = key;
    const text = JSON.stringify(frame);
    for (const ws of sockets) {
      try {
        ws.send(text);
      } catch {
        // A socket closing meanwhile: it is gone from getWebSockets() on the next push.
      }
    }
  }

  private async cleanUp(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) ws.close(1000, "call ended");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.store = new CallStore(this.ctx.storage.sql);
    this.memory.clear();
  }

  private async armAlarm(notBefore = 0): Promise<void> {
    const next = this.store.nextDue(notBefore);
    this.store.setArmedAt(next);
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}
