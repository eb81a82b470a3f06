/**
 * The engine's demo: answer, "press 1 to talk to an agent", reserve and dial a rep, bridge on
 * answer, and when either side hangs up end the other and write a free (amount 0) call record.
 * No money and no card data: it exists to exercise the shell, Telnyx mapping and rep routing.
 */
import { rowsFor, stepByTable } from "../../ivr/transition-table";
import type { Flow, LegId } from "../../ivr/types";
import {
  agentAnswered,
  agentDialled,
  agentMissed,
  answer,
  callerOf,
  dial,
  DEMO_TEXTS,
  finishGoodbye,
  goodbye,
  hungUp,
  initialDemoState,
  legsBridged,
  menuStep,
  offerMenu,
  type DemoCtx,
  type DemoState,
} from "./demo-steps";

export { DEMO_TEXTS, type DemoState } from "./demo-steps";

const on = rowsFor<DemoState, DemoCtx>();
const fromCaller = (s: DemoState, e: { leg: LegId }) => e.leg === callerOf(s);
const fromAgent = (s: DemoState, e: { leg: LegId; role: string }) =>
  !!s.agent && e.role === `agent:${s.agent.id}` && (s.agent.leg === null || s.agent.leg === e.leg);
const fromEither = (s: DemoState, e: { leg: LegId; role: string }) => fromCaller(s, e) || fromAgent(s, e);
const anyAgentLeg = (_s: DemoState, e: { role: string }) => e.role.startsWith("agent:");

export const demoTable = [
  on("idle", "call_started", answer),
  on("answering", "leg_answered", offerMenu, fromCaller),
  on("menu", "digits_gathered", menuStep, fromCaller),
  on("reserving", "agent_reserved", dial),
  on("reserving", "no_agent_available", (s, _e, ctx) => goodbye(s, ctx, DEMO_TEXTS.noAgent, "no_agent")),
  on("connecting", "leg_dialled", agentDialled, fromAgent),
  on("connecting", "leg_answered", agentAnswered, fromAgent),
  on("connecting", "legs_bridged", legsBridged),
  on("connecting", "leg_hung_up", agentMissed, fromAgent),
  on("talking", "leg_hung_up", hungUp, fromEither),
  on("goodbye", ["speak_ended", "timer:goodbye"], finishGoodbye),
  on(["answering", "menu", "reserving", "connecting", "goodbye"], "leg_hung_up", hungUp, fromCaller),
  on(
    ["settling", "done"],
    ["leg_dialled", "leg_answered"],
    (s, e) => ({ state: s, commands: [{ type: "hangup", leg: e.leg }] }),
    anyAgentLeg,
  ),
  on("settling", "call_settled", (s) => ({ state: { ...s, phase: "done" }, commands: [] })),
  on(
    "any",
    "agent_reserved",
    (s, e, ctx) => ({
      state: s,
      commands: [{ type: "release_agent", lineId: ctx.line.id, agentId: e.agentId }],
    }),
    (s, e) => s.agent?.id !== e.agentId,
  ),
];

export const demoFlow: Flow<DemoState> = {
  name: "demo",
  init: initialDemoState,
  step: (state, event, ctx) => stepByTable(demoTable, state, event, ctx),
  isDone: (state) => state.phase === "done",
  deadline: () => null,
};
