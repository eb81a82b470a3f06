/**
 * The flow for a number we do not (or no longer) serve: answer, say so briefly, hang up.
 * No record is written: there is no line to attach it to, and the log line says what happened.
 */
import type { EngineEvent, Flow, LegId, StepResult } from "../../ivr/types";

type State =
  | { phase: "new" }
  | { phase: "answering"; leg: LegId }
  | { phase: "speaking"; leg: LegId }
  | { phase: "ended" };

export const NOT_IN_SERVICE_TEXT = "The number you have called is not in service. Goodbye.";

export const notInServiceFlow: Flow<State> = {
  name: "not_in_service",
  init: () => ({ phase: "new" }),
  step(state: State, event: EngineEvent): StepResult<State> {
    if (event.type === "leg_hung_up" && state.phase !== "ended")
      return { state: { phase: "ended" }, commands: [] };
    if (state.phase === "new" && event.type === "call_started")
      return {
        state: { phase: "answering", leg: event.leg },
        commands: [{ type: "answer", leg: event.leg }],
      };
    if (state.phase === "answering" && event.type === "leg_answered")
      return {
        state: { phase: "speaking", leg: state.leg },
        commands: [{ type: "speak", leg: state.leg, text: NOT_IN_SERVICE_TEXT }],
      };
    if (state.phase === "speaking" && event.type === "speak_ended")
      return { state: { phase: "ended" }, commands: [{ type: "hangup", leg: state.leg }] };
    return { state, commands: [] };
  },
  isDone: (state) => state.phase === "ended",
};
