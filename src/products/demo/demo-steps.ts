/**
 * The demo flow's state and handlers: the menu, reaching an agent through the shared connect
 * machine, unmetered talk through the shared talk machine, and the free (amount 0) call record.
 * The table in demo-flow.ts says when each runs. No money, no cards.
 */
import { clearTimers, hangupLegs, setTimer } from "../../ivr/commands";
import {
  CONNECT_TIMERS,
  releaseHeld,
  startConnect,
  stepConnect,
  type ConnectAgent,
  type ConnectConfig,
  type ConnectState,
  type ConnectStep,
} from "../../ivr/connect-agent";
import {
  invalid,
  startCollect,
  stepCollect,
  valid,
  type CollectDigitsSpec,
  type CollectDigitsState,
} from "../../ivr/collect-digits";
import {
  startTalk,
  stepTalk,
  talkedSeconds,
  TALK_TIMERS,
  type TalkConfig,
  type TalkState,
  type TalkStep,
} from "../../ivr/metered-talk";
import type { CardCommand, CardEvent } from "../../card-payments/vocabulary";
import type { SecurePayments } from "../../secure-payments/payment-view";
import type { SecurePaymentCommand, SecurePaymentEvent } from "../../secure-payments/vocabulary";
import { DEMO_CURRENCY, type DemoConfig } from "./config";
import { say } from "../../ivr/prompts";
import type {
  CallRecord,
  CallStatus,
  EndedBy,
  EngineCommand,
  EngineEvent,
  FlowContext,
  LegId,
  StepResult,
} from "../../ivr/types";

export type DemoPhase =
  | "idle"
  | "answering"
  | "menu"
  | "reserving"
  | "connecting"
  | "queued"
  | "talking"
  | "goodbye"
  | "settling"
  | "done";

export interface DemoState {
  phase: DemoPhase;
  caller: { leg: LegId; from: string; to: string; startedAt: number; answeredAt: number | null } | null;
  menu: CollectDigitsState | null;
  connect: ConnectState | null;
  /** The agent the caller talks to (once connected). */
  agent: ConnectAgent | null;
  talk: TalkState | null;
  /** Set when a goodbye is spoken; the call settles with it when the speech ends. */
  status: CallStatus | null;
  /** Secure payments the agent asked for during talk (absent in states stored before them). */
  securePayments?: SecurePayments;
}

export type DemoCtx = FlowContext<DemoConfig>;
/** The demo hears the engine's events and those of the payments its agent can take. */
export type DemoEvent = EngineEvent | CardEvent | SecurePaymentEvent;
export type DemoCommand = CardCommand | SecurePaymentCommand;
type Result = StepResult<DemoState, DemoCommand>;
type Ev<T extends EngineEvent["type"]> = Extract<EngineEvent, { type: T }>;

export const DEMO_TEXTS = {
  menu: "Welcome to Meterline. Press 1 to talk to an agent.",
  noAgent: "Sorry, no agent is free. Goodbye.",
  goodbye: "Goodbye.",
  tooLong: "Sorry, we could not connect your call. Goodbye.",
} as const;

const MENU: CollectDigitsSpec = {
  prompt: DEMO_TEXTS.menu,
  minDigits: 1,
  maxDigits: 1,
  terminator: false,
  validate: (d) => (d === "1" ? valid : invalid("That is not a valid choice.")),
  maxTries: 3,
  timeoutMs: 8_000,
};
const RING_TIMEOUT_SECS = 20;
/** A caller is never held in the demo's IVR (menu, ringing agents) longer than this. */
export const PRE_TALK_LIMIT_MS = 10 * 60_000;

const connectConfig = (ctx: DemoCtx): ConnectConfig => ({
  lineId: ctx.line.id,
  callerId: ctx.line.number,
  ringTimeoutSec: RING_TIMEOUT_SECS,
  queue: null,
});
/** The demo's talk has no limit: no warning, no cutoff, it lasts as long as the parties talk. */
export const TALK: TalkConfig = { warningSec: 60, warningText: () => "", extendLeadSec: null };

export const callerOf = (s: DemoState): LegId | null => s.caller?.leg ?? null;

function record(
  s: DemoState,
  ctx: DemoCtx,
  status: CallStatus,
  endedAt: number,
  cause: string | null,
  by: EndedBy | null,
): CallRecord {
  // Time spent in a secure payment (talk paused) is not talk.
  const talked = s.talk ? talkedSeconds(s.talk, endedAt) : 0;
  return {
    lineId: ctx.line.id,
    product: ctx.line.product,
    callerNumber: s.caller?.from ?? "",
    calledNumber: s.caller?.to ?? ctx.line.number,
    startedAt: s.caller?.startedAt ?? endedAt,
    answeredAt: s.caller?.answeredAt ?? null,
    talkStartedAt: s.talk?.startedAt ?? null,
    endedAt,
    billableSeconds: talked,
    amount: 0,
    currency: DEMO_CURRENCY,
    status,
    hangupCause: cause,
    endedBy: by,
    agentId: s.talk ? (s.agent?.id ?? null) : null,
    cardBrand: null,
    cardLast4: null,
    paymentId: null,
    payments: [],
    voicemail: null,
  };
}

export function settle(
  s: DemoState,
  ctx: DemoCtx,
  end: { status: CallStatus; endedAt: number; cause: string | null; by: EndedBy | null },
  before: (EngineCommand | DemoCommand)[] = [],
): Result {
  const held = s.agent ?? s.connect?.agent ?? null;
  return {
    state: { ...s, phase: "settling", menu: null },
    commands: [
      ...before,
      ...clearTimers("goodbye", "pre_talk_limit", ...CONNECT_TIMERS, ...TALK_TIMERS),
      ...(s.phase === "queued" ? [{ type: "leave_hold_queue", lineId: ctx.line.id } as const] : []),
      ...releaseHeld(connectConfig(ctx), held),
      { type: "record_call", record: record(s, ctx, end.status, end.endedAt, end.cause, end.by) },
    ],
  };
}

export function goodbye(
  s: DemoState,
  ctx: DemoCtx,
  text: string,
  status: CallStatus,
  extra: EngineCommand[] = [],
): Result {
  const leg = callerOf(s);
  if (!leg) return { state: s, commands: [] };
  return {
    state: { ...s, phase: "goodbye", status, menu: null, connect: null },
    commands: [...extra, say(leg, text), setTimer("goodbye", ctx.now + 30_000)],
  };
}

export const initialDemoState = (): DemoState => ({
  phase: "idle",
  caller: null,
  menu: null,
  connect: null,
  agent: null,
  talk: null,
  status: null,
});

export function answer(s: DemoState, e: Ev<"call_started">, ctx: DemoCtx): Result {
  const caller = { leg: e.leg, from: e.from, to: e.to, startedAt: e.at, answeredAt: null };
  return {
    state: { ...s, phase: "answering", caller },
    commands: [{ type: "answer", leg: e.leg }, setTimer("pre_talk_limit", ctx.now + PRE_TALK_LIMIT_MS)],
  };
}

export function offerMenu(s: DemoState, e: Ev<"leg_answered">): Result {
  const menu = startCollect(MENU, e.leg);
  const caller = s.caller ? { ...s.caller, answeredAt: e.at } : null;
  return { state: { ...s, phase: "menu", caller, menu: menu.state }, commands: menu.commands };
}

export function menuStep(s: DemoState, e: Ev<"digits_gathered">, ctx: DemoCtx): Result {
  const leg = callerOf(s);
  if (!s.menu || !leg) return { state: s, commands: [] };
  const step = stepCollect(MENU, s.menu, e);
  const next = { ...s, menu: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done": {
      const connect = startConnect(connectConfig(ctx), leg);
      return {
        state: { ...next, phase: "reserving", menu: null, connect: connect.state },
        commands: connect.commands,
      };
    }
    case "failed":
    case "cancelled":
      return goodbye(next, ctx, DEMO_TEXTS.goodbye, "abandoned");
    case "hungUp":
      return settle(next, ctx, {
        status: "abandoned",
        endedAt: e.at,
        cause: "normal_clearing",
        by: "caller",
      });
  }
}

const PHASE_OF_STEP = { reserving: "reserving", ringing: "connecting", queued: "queued" } as const;

/** Everything while reaching an agent goes through the shared connect machine. */
export function connecting(s: DemoState, e: DemoEvent, ctx: DemoCtx): Result {
  if (!s.connect) return { state: s, commands: [] };
  // Payment events are not the connect machine's: it ignores every type it does not know.
  const step: ConnectStep = stepConnect(connectConfig(ctx), s.connect, e as EngineEvent, {
    now: ctx.now,
    speechDrained: true,
  });
  const next: DemoState = { ...s, connect: step.state, phase: PHASE_OF_STEP[step.state.step] };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "connected": {
      const { agent, talkStartedAt } = step.result;
      const talk = startTalk(
        TALK,
        { caller: s.connect.caller, other: agent.leg },
        talkStartedAt,
        null,
        ctx.now,
      );
      return {
        state: { ...next, phase: "talking", connect: null, agent, talk: talk.state },
        commands: [...step.commands, ...clearTimers("pre_talk_limit"), ...talk.commands],
      };
    }
    case "unavailable":
      return goodbye({ ...next, connect: null }, ctx, DEMO_TEXTS.noAgent, "no_agent", step.commands);
    case "caller_left":
      return settle(
        { ...next, connect: null },
        ctx,
        { status: "abandoned", endedAt: step.result.at, cause: step.result.cause, by: "caller" },
        step.commands,
      );
  }
}

/** Talk, through the shared talk machine: it ends at the earliest hang-up of either side. */
export function talking(s: DemoState, e: DemoEvent, ctx: DemoCtx): Result {
  if (!s.talk) return { state: s, commands: [] };
  // Payment events are not the talk machine's: it ignores every type it does not know.
  const step: TalkStep = stepTalk(TALK, s.talk, e as EngineEvent, ctx.now);
  const next = { ...s, talk: step.state };
  if (step.result?.kind !== "ended") return { state: next, commands: step.commands };
  const { endedAt, cause, by } = step.result;
  return settle(next, ctx, { status: "completed", endedAt, cause, by }, step.commands);
}

export function finishGoodbye(s: DemoState, e: EngineEvent, ctx: DemoCtx): Result {
  return settle(
    s,
    ctx,
    { status: s.status ?? "abandoned", endedAt: e.at, cause: "normal_clearing", by: "system" },
    hangupLegs(callerOf(s)),
  );
}

/** The caller never reached an agent within the limit: say so and end. */
export function tooLongBeforeTalk(s: DemoState, _e: EngineEvent, ctx: DemoCtx): Result {
  const held = s.connect;
  const stop: EngineCommand[] = held
    ? [
        ...hangupLegs(held.step === "ringing" ? held.agent?.leg : null),
        ...releaseHeld(connectConfig(ctx), held.agent),
      ]
    : [];
  const leave: EngineCommand[] =
    s.phase === "queued" ? [{ type: "leave_hold_queue", lineId: ctx.line.id }] : [];
  return goodbye({ ...s, connect: null }, ctx, DEMO_TEXTS.tooLong, "no_agent", [
    ...clearTimers(...CONNECT_TIMERS),
    ...stop,
    ...leave,
  ]);
}

export function callerGone(s: DemoState, e: Ev<"leg_hung_up">, ctx: DemoCtx): Result {
  return settle(s, ctx, { status: s.status ?? "abandoned", endedAt: e.at, cause: e.cause, by: "caller" });
}
