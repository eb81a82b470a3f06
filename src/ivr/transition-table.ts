/**
 * Transition tables: a flow lists rows (phase, event → handler) top to bottom and the first row that
 * matches runs. Pairs with no row are ignored (state unchanged, no commands), because Telnyx webhooks
 * come late, twice or out of order. Owns matching only; it never decides what a flow does.
 */
import type { CallEvent, CallEventType, Command, StepResult } from "./types";

/** An event type, a named timer ("timer:cutoff"), or "*" for any event. */
export type EventKey = CallEventType | `timer:${string}` | "*";

export type EventFor<K extends EventKey> = K extends "*"
  ? CallEvent
  : K extends `timer:${string}`
    ? Extract<CallEvent, { type: "timer_fired" }>
    : Extract<CallEvent, { type: K }>;

export type Handler<S, E, X> = (state: S, event: E, ctx: X) => StepResult<S>;
export type Guard<S, E, X> = (state: S, event: E, ctx: X) => boolean;

export interface Row<S, X> {
  phases: readonly string[] | "any";
  events: readonly EventKey[];
  when: Guard<S, CallEvent, X> | undefined;
  then: Handler<S, CallEvent, X>;
}

/**
 * Returns `on(phase, event, then, when?)` bound to a state type. `phase` may be one phase, a list,
 * or "any"; `event` one key or a list. Handlers see the event narrowed to its type.
 */
export function rowsFor<S extends { phase: string }, X>() {
  return function on<K extends EventKey>(
    phase: S["phase"] | readonly S["phase"][] | "any",
    event: K | readonly K[],
    then: Handler<S, EventFor<K>, X>,
    when?: Guard<S, EventFor<K>, X>,
  ): Row<S, X> {
    return {
      phases: phase === "any" ? "any" : typeof phase === "string" ? [phase] : phase,
      events: typeof event === "string" ? [event] : event,
      // Safe widening: stepByTable only calls these with events matching `events`.
      then: then as Handler<S, CallEvent, X>,
      when: when as Guard<S, CallEvent, X> | undefined,
    };
  };
}

function matches<S extends { phase: string }, X>(row: Row<S, X>, state: S, event: CallEvent): boolean {
  if (row.phases !== "any" && !row.phases.includes(state.phase)) return false;
  const key: EventKey = event.type === "timer_fired" ? `timer:${event.name}` : event.type;
  return row.events.includes("*") || row.events.includes(key) || row.events.includes(event.type);
}

/** Runs the first matching row whose guard passes; otherwise leaves the state as it was. */
export function stepByTable<S extends { phase: string }, X>(
  rows: readonly Row<S, X>[],
  state: NoInfer<S>,
  event: CallEvent,
  ctx: NoInfer<X>,
): StepResult<S> {
  for (const row of rows) {
    if (!matches(row, state, event)) continue;
    if (row.when && !row.when(state, event, ctx)) continue;
    return row.then(state, event, ctx);
  }
  return { state, commands: [] };
}

/** A result that only changes state. */
export function stay<S>(state: S, ...commands: Command[]): StepResult<S> {
  return { state, commands };
}
