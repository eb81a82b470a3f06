/**
 * The engine's demo: answer, "press 1 to talk to an agent", reach an agent through the shared
 * connect machine (next agent on busy or no answer), talk without a limit, and when either side
 * hangs up end the other and write a free (amount 0) call record. No money and no card data: it
 * exists to exercise the shell, the Telnyx mapping and agent routing.
 */
import { releaseUnwanted } from "../../ivr/connect-agent";
import { rowsFor, stepByTable } from "../../ivr/transition-table";
import type { Flow, LegId } from "../../ivr/types";
import type { CardEvent } from "../../card-payments/vocabulary";
import { settingsFor } from "../../secure-payments/config";
import { withSecurePayments } from "../../secure-payments/during-talk";
import { paymentDetail } from "../../secure-payments/payment-view";
import type { SecurePaymentEvent } from "../../secure-payments/vocabulary";
import { DEMO_CURRENCY, type DemoConfig } from "./config";
import { demoPayments } from "./demo-payments";
import {
  answer,
  callerGone,
  callerOf,
  connecting,
  finishGoodbye,
  initialDemoState,
  menuStep,
  offerMenu,
  talking,
  tooLongBeforeTalk,
  type DemoCommand,
  type DemoCtx,
  type DemoEvent,
  type DemoState,
} from "./demo-steps";

export { DEMO_TEXTS, type DemoState } from "./demo-steps";

const on = rowsFor<DemoState, DemoCtx, DemoEvent, DemoCommand>();
const fromCaller = (s: DemoState, e: { leg: LegId }) => e.leg === callerOf(s);
const anyAgentLeg = (_s: DemoState, e: { role: string }) => e.role.startsWith("agent:");

export const demoTable = [
  on("idle", "call_started", answer),
  on("answering", "leg_answered", offerMenu, fromCaller),
  on("menu", "digits_gathered", menuStep, fromCaller),
  on(["answering", "menu", "reserving", "connecting", "queued"], "timer:pre_talk_limit", tooLongBeforeTalk),
  on(["reserving", "connecting", "queued"], "*", connecting),
  // Talk (unmetered), and the secure payments the agent may ask for during it
  on("talking", "*", withSecurePayments(demoPayments, talking)),
  on("goodbye", ["speak_ended", "timer:goodbye"], finishGoodbye),
  on(["answering", "menu", "goodbye"], "leg_hung_up", callerGone, fromCaller),
  // After the end: an agent leg that turns up late is hung up; an agent reserved late is freed.
  on(
    ["settling", "done"],
    ["leg_dialled", "leg_answered"],
    (s, e) => ({ state: s, commands: [{ type: "hangup", leg: e.leg }] }),
    anyAgentLeg,
  ),
  on("settling", "call_settled", (s) => ({ state: { ...s, phase: "done" }, commands: [] })),
  on("any", ["agent_reserved", "agent_offered"], (s, e, ctx) => ({
    state: s,
    commands: releaseUnwanted({ lineId: ctx.line.id }, s.agent?.id ?? null, e),
  })),
];

export const demoFlow: Flow<DemoState, DemoConfig, DemoCommand, CardEvent | SecurePaymentEvent> = {
  name: "demo",
  stateVersion: 2,
  init: initialDemoState,
  step: (state, event, ctx) => stepByTable(demoTable, state, event, ctx),
  isDone: (state) => state.phase === "done",
  deadline: () => null,
  view: (state, line) => ({
    phase: state.phase,
    step: state.connect?.step ?? null,
    talk: state.talk
      ? { startedAt: state.talk.startedAt, limitAt: null, pausedSince: state.talk.pausedSince }
      : null,
    agentId: state.agent?.id ?? null,
    detail: paymentDetail(state.securePayments, settingsFor(line.config.securePayments, DEMO_CURRENCY)),
  }),
};
