/**
 * The demo flow's state and handlers: the menu, reserving and dialling a rep, bridging, and the
 * free (amount 0) call record. The table in demo-flow.ts says when each runs. No money, no cards.
 */
import { talkSeconds } from "../../billing/rating";
import { clearTimers, hangupLegs, setTimer } from "../../ivr/commands";
import {
  invalid,
  startCollect,
  stepCollect,
  valid,
  type CollectDigitsSpec,
  type CollectDigitsState,
} from "../../ivr/collect-digits";
import { say } from "../../ivr/prompts";
import type { CallEvent, CallStatus, Command, FlowContext, LegId, StepResult } from "../../ivr/types";

export type DemoPhase =
  "idle" | "answering" | "menu" | "reserving" | "connecting" | "talking" | "goodbye" | "settling" | "done";

export interface DemoState {
  phase: DemoPhase;
  caller: { leg: LegId; from: string; to: string; startedAt: number; answeredAt: number | null } | null;
  menu: CollectDigitsState | null;
  agent: { id: string; leg: LegId | null; answeredAt: number | null } | null;
  bridgedAt: number | null;
  talkStartedAt: number | null;
  /** Set when a goodbye is spoken; the call settles with it when the speech ends. */
  status: CallStatus | null;
}

export type DemoCtx = FlowContext;
type Result = StepResult<DemoState>;
type Ev<T extends CallEvent["type"]> = Extract<CallEvent, { type: T }>;

export const DEMO_TEXTS = {
  menu: "Welcome to Meterline. Press 1 to talk to an agent.",
  noAgent: "Sorry, no agent is free. Goodbye.",
  goodbye: "Goodbye.",
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

export const callerOf = (s: DemoState): LegId | null => s.caller?.leg ?? null;
export const release = (s: DemoState, ctx: DemoCtx): Command[] =>
  s.agent ? [{ type: "release_agent", lineId: ctx.line.id, agentId: s.agent.id }] : [];

export function settle(
  s: DemoState,
  ctx: DemoCtx,
  status: CallStatus,
  endedAt: number,
  cause: string | null,
  hangups: Command[],
): Result {
  const talked = s.talkStartedAt === null ? 0 : talkSeconds(s.talkStartedAt, endedAt);
  const record = {
    lineId: ctx.line.id,
    product: ctx.line.product,
    callerNumber: s.caller?.from ?? "",
    calledNumber: s.caller?.to ?? ctx.line.number,
    startedAt: s.caller?.startedAt ?? endedAt,
    answeredAt: s.caller?.answeredAt ?? null,
    talkStartedAt: s.talkStartedAt,
    endedAt,
    billableSeconds: talked,
    amount: 0,
    currency: "usd",
    status,
    hangupCause: cause,
    agentId: s.talkStartedAt === null ? null : (s.agent?.id ?? null),
    cardBrand: null,
    cardLast4: null,
    paymentId: null,
    payments: [],
    voicemail: null,
  };
  return {
    state: { ...s, phase: "settling", menu: null },
    commands: [...hangups, ...clearTimers("goodbye"), ...release(s, ctx), { type: "record_call", record }],
  };
}

export function goodbye(
  s: DemoState,
  ctx: DemoCtx,
  text: string,
  status: CallStatus,
  extra: Command[] = [],
): Result {
  const leg = callerOf(s);
  if (!leg) return { state: s, commands: [] };
  return {
    state: { ...s, phase: "goodbye", status, agent: null, menu: null },
    commands: [...extra, say(leg, text), setTimer("goodbye", ctx.now + 30_000)],
  };
}

export function menuStep(s: DemoState, e: Ev<"digits_gathered">, ctx: DemoCtx): Result {
  if (!s.menu) return { state: s, commands: [] };
  const step = stepCollect(MENU, s.menu, e);
  const next = { ...s, menu: step.state };
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "done":
      return {
        state: { ...next, phase: "reserving" },
        commands: [{ type: "reserve_agent", lineId: ctx.line.id, exclude: [] }],
      };
    case "failed":
    case "cancelled":
      return goodbye(next, ctx, DEMO_TEXTS.goodbye, "abandoned");
    case "hungUp":
      return settle(next, ctx, "abandoned", e.at, "normal_clearing", []);
  }
}

export function dial(s: DemoState, e: Ev<"agent_reserved">, ctx: DemoCtx): Result {
  const leg = callerOf(s);
  if (!leg) return { state: s, commands: [] };
  const command: Command = {
    type: "dial",
    role: `agent:${e.agentId}`,
    to: e.destination,
    from: ctx.line.number,
    linkTo: leg,
    timeoutSecs: RING_TIMEOUT_SECS,
  };
  return {
    state: { ...s, phase: "connecting", agent: { id: e.agentId, leg: null, answeredAt: null } },
    commands: [command],
  };
}

/** Talk starts at the later of the agent's answer and the bridge (either webhook may come first). */
export function maybeTalk(s: DemoState, commands: Command[]): Result {
  const answeredAt = s.agent?.answeredAt ?? null;
  if (answeredAt === null || s.bridgedAt === null) return { state: s, commands };
  return { state: { ...s, phase: "talking", talkStartedAt: Math.max(answeredAt, s.bridgedAt) }, commands };
}

export function agentAnswered(s: DemoState, e: Ev<"leg_answered">): Result {
  const leg = callerOf(s);
  if (!s.agent || !leg) return { state: s, commands: [] };
  const bridge: Command[] = s.bridgedAt === null ? [{ type: "bridge", leg, other: e.leg }] : [];
  return maybeTalk({ ...s, agent: { ...s.agent, leg: e.leg, answeredAt: e.at } }, bridge);
}

export function hungUp(s: DemoState, e: Ev<"leg_hung_up">, ctx: DemoCtx): Result {
  const other = e.leg === callerOf(s) ? s.agent?.leg : callerOf(s);
  const status: CallStatus = s.phase === "talking" ? "completed" : (s.status ?? "abandoned");
  return settle(s, ctx, status, e.at, e.cause, hangupLegs(other));
}

export const initialDemoState = (): DemoState => ({
  phase: "idle",
  caller: null,
  menu: null,
  agent: null,
  bridgedAt: null,
  talkStartedAt: null,
  status: null,
});

export function answer(s: DemoState, e: Ev<"call_started">): Result {
  const caller = { leg: e.leg, from: e.from, to: e.to, startedAt: e.at, answeredAt: null };
  return { state: { ...s, phase: "answering", caller }, commands: [{ type: "answer", leg: e.leg }] };
}

export function offerMenu(s: DemoState, e: Ev<"leg_answered">): Result {
  const menu = startCollect(MENU, e.leg);
  const caller = s.caller ? { ...s.caller, answeredAt: e.at } : null;
  return { state: { ...s, phase: "menu", caller, menu: menu.state }, commands: menu.commands };
}

export function agentDialled(s: DemoState, e: Ev<"leg_dialled">): Result {
  return { state: s.agent ? { ...s, agent: { ...s.agent, leg: e.leg } } : s, commands: [] };
}

export function legsBridged(s: DemoState, e: Ev<"legs_bridged">): Result {
  return s.bridgedAt === null ? maybeTalk({ ...s, bridgedAt: e.at }, []) : { state: s, commands: [] };
}

/** The rep did not answer (or rejected): the demo does not try another. */
export function agentMissed(s: DemoState, _e: CallEvent, ctx: DemoCtx): Result {
  return goodbye(s, ctx, DEMO_TEXTS.noAgent, "no_agent", release(s, ctx));
}

export function finishGoodbye(s: DemoState, e: CallEvent, ctx: DemoCtx): Result {
  return settle(s, ctx, s.status ?? "abandoned", e.at, "normal_clearing", hangupLegs(callerOf(s)));
}
