/**
 * Transition tables: a flow lists rows (phase, event → handler) top to bottom and the first row that
 * matches runs. Pairs with no row are ignored (state unchanged, no commands), because Telnyx webhooks
 * come late, twice or out of order. Owns matching only; it never decides what a flow does.
 * Generic over the flow's events (E: the engine's plus its product's) and commands (Cmd).
 */
import type { EngineCommand, EngineEvent, StepResult, Tagged, TaggedEvent } from "./types";

/** An event type, a named timer ("timer:cutoff"), or "*" for any event. */
export type EventKey<E extends TaggedEvent> = E["type"] | `timer:${string}` | "*";

export type EventFor<E extends TaggedEvent, K extends EventKey<E>> = K extends "*"
  ? E
  : K extends `timer:${string}`
    ? Extract<E, { type: "timer_fired" }>
    : Extract<E, { type: K }>;

export type Handler<S, E, X, Cmd extends Tagged> = (state: S, event: E, ctx: X) => StepResult<S, Cmd>;
export type Guard<S, E, X> = (state: S, event: E, ctx: X) => boolean;

export interface Row<S, X, E extends TaggedEvent = EngineEvent, Cmd extends Tagged = never> {
  phases: readonly string[] | "any";
  events: readonly string[];
  when: Guard<S, E, X> | undefined;
  then: Handler<S, E, X, Cmd>;
}

/**
 * Returns `on(phase, event, then, when?)` bound to a state, context, event and command type.
 * `phase` may be one phase, a list, or "any"; `event` one key or a list. Handlers see the event
 * narrowed to its type.
 */
export function rowsFor<
  S extends { phase: string },
  X,
  E extends TaggedEvent = EngineEvent,
  Cmd extends Tagged = never,
>() {
  return function on<K extends EventKey<E>>(
    phase: S["phase"] | readonly S["phase"][] | "any",
    event: K | readonly K[],
    then: Handler<S, EventFor<E, K>, X, Cmd>,
    when?: Guard<S, EventFor<E, K>, X>,
  ): Row<S, X, E, Cmd> {
    return {
      phases: phase === "any" ? "any" : typeof phase === "string" ? [phase] : phase,
      events: typeof event === "string" ? [event] : event,
      // Safe widening: stepByTable only calls these with events matching `events`.
      then: then as Handler<S, E, X, Cmd>,
      when: when as Guard<S, E, X> | undefined,
    };
  };
}

function matches<S extends { phase: string }, X, E extends TaggedEvent, Cmd extends Tagged>(
  row: Row<S, X, E, Cmd>,
  state: S,
  event: E,
): boolean {
  if (row.phases !== "any" && !row.phases.includes(state.phase)) return false;
  const timer = event.type === "timer_fired" ? `timer:${(event as unknown as { name: string }).name}` : null;
  return (
    row.events.includes("*") || row.events.includes(event.type) || (!!timer && row.events.includes(timer))
  );
}

/** Runs the first matching row whose guard passes; otherwise leaves the state as it was. */
export function stepByTable<S extends { phase: string }, X, E extends TaggedEvent, Cmd extends Tagged>(
  rows: readonly Row<S, X, E, Cmd>[],
  state: NoInfer<S>,
  event: NoInfer<E>,
  ctx: NoInfer<X>,
): StepResult<S, Cmd> {
  for (const row of rows) {
    if (!matches(row, state, event)) continue;
    if (row.when && !row.when(state, event, ctx)) continue;
    return row.then(state, event, ctx);
  }
  return { state, commands: [] };
}

/** A result that only changes state (and maybe issues commands). */
export function stay<S, Cmd extends Tagged = never>(
  state: S,
  ...commands: (EngineCommand | Cmd)[]
): StepResult<S, Cmd> {
  return { state, commands };
}
