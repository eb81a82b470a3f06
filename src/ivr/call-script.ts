/**
 * A call script: replays events into a flow the way the shell would (in order, clock = event time)
 * and keeps the timers the flow set, so tests, simulators and debugging can drive a call with
 * `press("1")` or `fire("cutoff")` and read the commands back. Pure: no I/O, the clock is its own.
 */
import {
  legId,
  type EngineCommand,
  type EngineEvent,
  type Flow,
  type HangupCause,
  type LegId,
  type LegRole,
  type Tagged,
  type TaggedEvent,
} from "./types";
import type { ActionPrincipal, FlowContext, GatherStatus, LineInfo } from "./types";

export const CALLER_LEG = legId("leg-caller");

export class CallScript<S, C, Cmd extends Tagged = never, Ev extends TaggedEvent = never> {
  state: S;
  now: number;
  /** Every command the flow issued, in order. */
  readonly sent: (EngineCommand | Cmd)[] = [];
  /** Timers currently set by the flow: name → due time. */
  readonly timers = new Map<string, number>();

  constructor(
    private readonly flow: Flow<S, C, Cmd, Ev>,
    readonly line: LineInfo<C>,
    readonly sessionId = "session-1",
    startAt = Date.UTC(2026, 10, 20, 12, 0, 0),
  ) {
    this.now = startAt;
    this.state = flow.init(this.ctx());
  }

  private ctx(): FlowContext<C> {
    return { now: this.now, sessionId: this.sessionId, line: this.line };
  }

  /** Feeds one event (at its own time, or now) and returns the commands it produced. */
  send(event: EngineEvent | Ev): (EngineCommand | Cmd)[] {
    this.now = Math.max(this.now, event.at);
    const result = this.flow.step(this.state, event, this.ctx());
    this.state = result.state;
    for (const cmd of result.commands as EngineCommand[]) {
      if (cmd.type === "set_timer") this.timers.set(cmd.name, cmd.at);
      if (cmd.type === "clear_timer") this.timers.delete(cmd.name);
    }
    this.sent.push(...result.commands);
    return result.commands;
  }

  /** Moves the clock forward without an event. */
  wait(ms: number): this {
    this.now += ms;
    return this;
  }

  get done(): boolean {
    return this.flow.isDone(this.state);
  }

  start(from = "+15550001111", to = this.line.number): (EngineCommand | Cmd)[] {
    return this.send({ type: "call_started", leg: CALLER_LEG, from, to, at: this.now });
  }
  answered(leg: LegId = CALLER_LEG, role: LegRole = "caller"): (EngineCommand | Cmd)[] {
    return this.send({ type: "leg_answered", leg, role, at: this.now });
  }
  dialled(leg: LegId, role: LegRole): (EngineCommand | Cmd)[] {
    return this.send({ type: "leg_dialled", leg, role, at: this.now });
  }
  spoke(leg: LegId = CALLER_LEG): (EngineCommand | Cmd)[] {
    return this.send({ type: "speak_ended", leg, at: this.now });
  }
  press(digits: string, status: GatherStatus = "valid", leg: LegId = CALLER_LEG): (EngineCommand | Cmd)[] {
    return this.send({ type: "digits_gathered", leg, digits, status, at: this.now });
  }
  silence(leg: LegId = CALLER_LEG): (EngineCommand | Cmd)[] {
    return this.press("", "timeout", leg);
  }
  bridged(leg: LegId, role: LegRole): (EngineCommand | Cmd)[] {
    return this.send({ type: "legs_bridged", leg, role, at: this.now });
  }
  hungUp(
    leg: LegId = CALLER_LEG,
    role: LegRole = "caller",
    cause: HangupCause = "normal_clearing",
  ): (EngineCommand | Cmd)[] {
    return this.send({ type: "leg_hung_up", leg, role, cause, at: this.now });
  }
  /** Fires a timer the flow set, at its due time; throws if the flow never set it. */
  fire(name: string): (EngineCommand | Cmd)[] {
    const at = this.timers.get(name);
    if (at === undefined) throw new Error(`timer ${name} is not set`);
    this.timers.delete(name);
    return this.send({ type: "timer_fired", name, at });
  }

  /** Someone outside the call asks for an action (as the API would deliver it). */
  act(
    action: string,
    params: Record<string, unknown> = {},
    key = `key-${action}-${this.sent.length}`,
    by: ActionPrincipal = { kind: "admin", agentId: null },
  ): (EngineCommand | Cmd)[] {
    return this.send({ type: "action_requested", action, key, params, by, at: this.now });
  }
}

/** The commands of one type from a list, typed. */
export function ofType<C extends Tagged, T extends C["type"]>(
  commands: C[],
  type: T,
): Extract<C, { type: T }>[] {
  return commands.filter((c): c is Extract<C, { type: T }> => c.type === type);
}
