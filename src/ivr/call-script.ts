/**
 * A call script: replays events into a flow the way the shell would (in order, clock = event time)
 * and keeps the timers the flow set, so tests, simulators and debugging can drive a call with
 * `press("1")` or `fire("cutoff")` and read the commands back. Pure: no I/O, the clock is its own.
 */
import {
  legId,
  type CallEvent,
  type Command,
  type Flow,
  type HangupCause,
  type LegId,
  type LegRole,
} from "./types";
import type { FlowContext, GatherStatus, LineInfo } from "./types";

export const CALLER_LEG = legId("leg-caller");

export class CallScript<S, C> {
  state: S;
  now: number;
  /** Every command the flow issued, in order. */
  readonly sent: Command[] = [];
  /** Timers currently set by the flow: name → due time. */
  readonly timers = new Map<string, number>();

  constructor(
    private readonly flow: Flow<S, C>,
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
  send(event: CallEvent): Command[] {
    this.now = Math.max(this.now, event.at);
    const result = this.flow.step(this.state, event, this.ctx());
    this.state = result.state;
    for (const cmd of result.commands) {
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

  start(from = "+15550001111", to = this.line.number): Command[] {
    return this.send({ type: "call_started", leg: CALLER_LEG, from, to, at: this.now });
  }
  answered(leg: LegId = CALLER_LEG, role: LegRole = "caller"): Command[] {
    return this.send({ type: "leg_answered", leg, role, at: this.now });
  }
  dialled(leg: LegId, role: LegRole): Command[] {
    return this.send({ type: "leg_dialled", leg, role, at: this.now });
  }
  spoke(leg: LegId = CALLER_LEG): Command[] {
    return this.send({ type: "speak_ended", leg, at: this.now });
  }
  press(digits: string, status: GatherStatus = "valid", leg: LegId = CALLER_LEG): Command[] {
    return this.send({ type: "digits_gathered", leg, digits, status, at: this.now });
  }
  silence(leg: LegId = CALLER_LEG): Command[] {
    return this.press("", "timeout", leg);
  }
  bridged(leg: LegId, role: LegRole): Command[] {
    return this.send({ type: "legs_bridged", leg, role, at: this.now });
  }
  hungUp(
    leg: LegId = CALLER_LEG,
    role: LegRole = "caller",
    cause: HangupCause = "normal_clearing",
  ): Command[] {
    return this.send({ type: "leg_hung_up", leg, role, cause, at: this.now });
  }
  /** Fires a timer the flow set, at its due time; throws if the flow never set it. */
  fire(name: string): Command[] {
    const at = this.timers.get(name);
    if (at === undefined) throw new Error(`timer ${name} is not set`);
    this.timers.delete(name);
    return this.send({ type: "timer_fired", name, at });
  }
}

/** The commands of one type from a list, typed. */
export function ofType<T extends Command["type"]>(
  commands: Command[],
  type: T,
): Extract<Command, { type: T }>[] {
  return commands.filter((c): c is Extract<Command, { type: T }> => c.type === type);
}
