/**
 * The contract between the CallSession shell and whoever carries out a command: the engine's own
 * handlers (Telnyx, LineSession, the call record) and each capability's (card payments today).
 * A handler either changes the call's volatile memory inside the step (no I/O, e.g. card digits)
 * or runs later from the outbox, in a lane, with a retry policy, and says what came of it.
 */
import type { Db } from "../db/client";
import type { TimelineEntry } from "../db/call-records";
import type { LegRole, LineInfo, Tagged, TaggedEvent } from "../ivr/types";
import type { Payments } from "../payments/payments";

/** What a handler may do once an outbox command ran: done (maybe with a result event), retry, or drop. */
export type EffectOutcome =
  | { kind: "done"; event?: TaggedEvent }
  | { kind: "retry"; reason: string }
  | { kind: "drop"; reason: string; event?: TaggedEvent };

/**
 * How a failing command is retried. "call": Telnyx commands a caller is waiting for, given up after
 * a few tries (a speak minutes late is worse than none); "money": never given up, only spaced out;
 * "work": record writes and sibling calls, moved to the dead-letter list after a few tries so they
 * never hold the call up, and retried from there.
 */
export type RetryPolicy = "call" | "money" | "work";

/** The call's memory that never reaches storage: lost on restart, by design (card digits). */
export type CallMemory = Map<string, string>;

/** The adapters a handler may use, created once per object from the Worker's configuration. */
export interface EffectDeps {
  env: Env;
  db(): Db;
  payments(): Payments;
  /** One instance per object of anything else a capability needs (its own adapter). */
  memo<T>(key: string, make: () => T): T;
}

export interface EffectContext {
  sessionId: string;
  /** Deterministic `<session>:<version>:<index>`: the same on every retry of this command. */
  commandId: string;
  /** How many times this command has failed before (0 on its first run). */
  attempt: number;
  line: LineInfo;
  connectionId: string | undefined;
  /** The role of a leg still live on this call; undefined once its hang-up was seen. */
  roleOf(leg: string): LegRole | undefined;
  /** The latest platform time seen on this call: the last moment it is known to have been alive. */
  lastEventTime: number;
  memory: CallMemory;
  timeline(): TimelineEntry[];
  now(): number;
  deps: EffectDeps;
}

export type EffectHandler<C extends Tagged> =
  | {
      kind: "memory";
      /** Runs inside the step's storage transaction; must not await or throw. */
      apply(cmd: C, memory: CallMemory): void;
    }
  | {
      kind: "outbox";
      /** Commands in one lane run in order; lanes do not wait for each other. */
      lane(cmd: C): string;
      policy: RetryPolicy;
      run(cmd: C, fx: EffectContext): Promise<EffectOutcome>;
      /** What the flow hears when a "call" command is given up (e.g. a speak that never ran ended). */
      instead?(cmd: C, at: number): TaggedEvent | undefined;
    };

/** One handler per command type of a union, checked by the compiler. */
export type EffectHandlers<C extends Tagged> = { [K in C["type"]]: EffectHandler<Extract<C, { type: K }>> };

/** A set of commands and the handlers that carry them out, registered together. */
export interface Capability<C extends Tagged = Tagged> {
  name: string;
  handlers: EffectHandlers<C>;
  /** How this capability's events appear in a transition log line (never card data). */
  describeEvent?(event: TaggedEvent): Record<string, unknown> | undefined;
}

export function defineCapability<C extends Tagged>(capability: Capability<C>): Capability {
  return capability;
}
