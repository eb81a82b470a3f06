/**
 * The engine's own command handlers: Call Control requests to Telnyx (one lane per leg, so a leg's
 * commands keep their order), the line's LineSession (agents, hold queue, the agent ↔ call index),
 * the call record, and the liveness check the stale-call guard sends. A 90018 "call already ended"
 * means a hang-up webhook may be lost: Telnyx is asked when the leg ended, and the flow hears that.
 */
import { defineCapability, type EffectContext, type EffectOutcome } from "../src/engine/effect";
import { writeCallRecord } from "../src/db/call-records";
import type { EngineCommand, EngineEvent, LegId } from "../src/ivr/types";
import { encodeClientState } from "../src/telnyx/client-state";
import { legOf, toTelnyxRequest, type TelnyxCommand, type TelnyxCommandType } from "../src/telnyx/commands";
import { createTelnyxClient, TelnyxError, type TelnyxClient } from "../src/telnyx/telnyx-client";
import { loadConfig } from "../src/config";
import type { LineSession } from "./line-session";

/** Shell-internal: asks Telnyx whether a leg still lives (the stale-call guard's question). */
export interface CheckLegCommand {
  type: "check_leg";
  leg: LegId;
}

/** Shell-internal answers to check_leg; the flow never sees these (it sees a hang-up, if any). */
export type LivenessEvent =
  { type: "__leg_alive"; leg: LegId; at: number } | { type: "__leg_unknown"; leg: LegId; at: number };

export const telnyxOf = (fx: EffectContext): TelnyxClient =>
  fx.deps.memo("telnyx", () => {
    const cfg = loadConfig(fx.deps.env);
    return createTelnyxClient({ apiBase: cfg.TELNYX_API_BASE, apiKey: cfg.TELNYX_API_KEY });
  });

const lineSession = (fx: EffectContext, lineId: string): DurableObjectStub<LineSession> =>
  fx.deps.env.LINE_SESSION.getByName(lineId);

/** The leg's hang-up as Telnyx saw it, when Telnyx says it is over; null when it lives or cannot say. */
async function endedLeg(fx: EffectContext, leg: LegId): Promise<EngineEvent | null> {
  const role = fx.roleOf(leg);
  if (!role) return null; // its hang-up was already seen
  let status;
  try {
    status = await telnyxOf(fx).legStatus(leg);
  } catch {
    return null;
  }
  if (status.alive) return null;
  return {
    type: "leg_hung_up",
    leg,
    role,
    cause: "unspecified",
    source: "unknown",
    at: status.endedAt ?? fx.lastEventTime,
  };
}

async function sendTelnyx(cmd: TelnyxCommand, fx: EffectContext): Promise<EffectOutcome> {
  const role = cmd.type === "dial" ? cmd.role : (fx.roleOf(cmd.leg) ?? "caller");
  const target =
    cmd.type === "transfer"
      ? encodeClientState({ s: fx.sessionId, r: cmd.role ?? "transfer:service" })
      : undefined;
  const request = toTelnyxRequest(cmd, {
    commandId: fx.commandId,
    clientState: encodeClientState({ s: fx.sessionId, r: role }),
    voice: fx.line.voice,
    connectionId: fx.connectionId,
    ...(target ? { targetClientState: target } : {}),
  });
  try {
    await telnyxOf(fx).send(request);
    return { kind: "done" };
  } catch (err) {
    if (!(err instanceof TelnyxError) || !err.callEnded || cmd.type === "dial") throw err;
    const hungUp = await endedLeg(fx, legOf(cmd) as LegId);
    return { kind: "drop", reason: "call already ended (90018)", ...(hungUp ? { event: hungUp } : {}) };
  }
}

/** A speak or gather (keys or voice) Telnyx never ran will never report its end: the flow hears that it ended. */
function insteadOf(cmd: TelnyxCommand, at: number): EngineEvent | undefined {
  if (cmd.type === "speak") return { type: "speak_ended", leg: cmd.leg, at };
  if (cmd.type === "gather")
    return { type: "digits_gathered", leg: cmd.leg, digits: "", status: "timeout", at };
  if (cmd.type === "ask_by_voice")
    return { type: "voice_answered", leg: cmd.leg, status: "invalid", answer: null, at };
  return undefined;
}

const telnyx = {
  kind: "outbox",
  lane: (cmd: TelnyxCommand) => `telnyx:${legOf(cmd)}`,
  policy: "call",
  run: sendTelnyx,
  instead: insteadOf,
} as const;

type Line = Extract<
  EngineCommand,
  { type: "reserve_agent" | "release_agent" | "join_hold_queue" | "leave_hold_queue" | "agent_connected" }
>;
const line = { kind: "outbox", lane: () => "line", policy: "work" } as const;
const done = (event?: EngineEvent | LivenessEvent): EffectOutcome =>
  event ? { kind: "done", event } : { kind: "done" };

type EngineOutboxCommand =
  | Extract<EngineCommand, { type: TelnyxCommandType }>
  | Line
  | Extract<EngineCommand, { type: "record_call" }>
  | CheckLegCommand;

export const engineEffects = defineCapability<EngineOutboxCommand>({
  name: "engine",
  handlers: {
    answer: telnyx,
    speak: telnyx,
    gather: telnyx,
    stop_gather: telnyx,
    ask_by_voice: telnyx,
    play: telnyx,
    stop_playback: telnyx,
    dial: telnyx,
    bridge: telnyx,
    enqueue: telnyx,
    leave_queue: telnyx,
    transfer: telnyx,
    record_start: telnyx,
    record_stop: telnyx,
    record_pause: telnyx,
    record_resume: telnyx,
    hangup: telnyx,
    reserve_agent: {
      ...line,
      async run(cmd, fx) {
        const agent = await lineSession(fx, cmd.lineId).reserve(cmd.lineId, fx.sessionId, cmd.exclude);
        return done(
          agent
            ? { type: "agent_reserved", ...agent, at: fx.now() }
            : { type: "no_agent_available", at: fx.now() },
        );
      },
    },
    release_agent: {
      ...line,
      async run(cmd, fx) {
        await lineSession(fx, cmd.lineId).release(cmd.lineId, fx.sessionId, cmd.agentId);
        return done();
      },
    },
    join_hold_queue: {
      ...line,
      async run(cmd, fx) {
        const position = await lineSession(fx, cmd.lineId).enqueue(cmd.lineId, fx.sessionId);
        return done({ type: "queue_joined", position, at: fx.now() });
      },
    },
    leave_hold_queue: {
      ...line,
      async run(cmd, fx) {
        await lineSession(fx, cmd.lineId).dequeue(fx.sessionId);
        return done();
      },
    },
    agent_connected: {
      ...line,
      async run(cmd, fx) {
        await lineSession(fx, cmd.lineId).markConnected(cmd.lineId, fx.sessionId, cmd.agentId);
        return done();
      },
    },
    record_call: {
      kind: "outbox",
      lane: () => "record",
      policy: "work",
      async run(cmd, fx) {
        await writeCallRecord(fx.deps.db(), fx.sessionId, cmd.record, fx.timeline());
        return done({ type: "call_settled", at: fx.now() });
      },
    },
    check_leg: {
      kind: "outbox",
      lane: (cmd) => `status:${cmd.leg}`,
      policy: "call",
      async run(cmd, fx) {
        const status = await telnyxOf(fx).legStatus(cmd.leg);
        if (status.alive) return done({ type: "__leg_alive", leg: cmd.leg, at: fx.now() });
        const role = fx.roleOf(cmd.leg);
        if (!role) return done();
        const hungUp: EngineEvent = {
          type: "leg_hung_up",
          leg: cmd.leg,
          role,
          cause: "unspecified",
          source: "unknown",
          at: status.endedAt ?? fx.lastEventTime,
        };
        return done(hungUp);
      },
      instead: (cmd, at): LivenessEvent => ({ type: "__leg_unknown", leg: cmd.leg, at }),
    },
  },
});
