/**
 * The call engine's own vocabulary, the only closed set: legs, speech, digits, timers, dial,
 * bridge, queues, recording, hang-up, agents, actions from outside, and the call record. A product
 * or capability (card payments, credit reservations, PIN checks…) declares its own commands and
 * result events in its own module and passes them as the Cmd / Ev parameters of Flow.
 * Pure data: no I/O, no clock, no platform types. Wire names live in the adapters.
 */
import type { ActionPrincipal, ActionReply, CallView } from "./actions";
import type { CallRecord } from "./call-record";

/** A Telnyx call leg, named by its call_control_id. */
export type LegId = string & { readonly __brand: "LegId" };
export const legId = (id: string): LegId => id as LegId;

/**
 * Which leg an event or command concerns, in the flow's words: "caller" is the inbound leg; every
 * leg we create is `<kind>:<id>` (agent:ag_1, dest:1, transfer:service), carried in client_state.
 */
export type LegRole = "caller" | `${string}:${string}`;

const ROLE = /^(?:caller|[a-z][a-z0-9_]*:[^\s]+)$/;
export const isLegRole = (value: unknown): value is LegRole => typeof value === "string" && ROLE.test(value);
export const agentRole = (agentId: string): LegRole => `agent:${agentId}`;

export type HangupCause =
  | "normal_clearing"
  | "originator_cancel"
  | "timeout"
  | "time_limit"
  | "user_busy"
  | "no_answer"
  | "call_rejected"
  /** The number does not exist (SIP 404): Telnyx's not_found. */
  | "not_found"
  | "unspecified";

/** Who ended a leg, as Telnyx reports it (hangup_source). */
export type HangupSource = "caller" | "callee" | "unknown";

export type GatherStatus = "valid" | "invalid" | "timeout" | "cancelled" | "hangup";

/** Anything a product adds to the vocabulary: a tagged object. */
export interface Tagged {
  type: string;
}
/** A product's result event: tagged, with the time it happened (epoch ms). */
export interface TaggedEvent extends Tagged {
  at: number;
}

/** Events carry `at` = the platform's time of the event (epoch ms), never our receive time. */
export type EngineEvent =
  /** Inbound call reached one of our numbers (caller leg). */
  | { type: "call_started"; leg: LegId; from: string; to: string; at: number; connectionId?: string }
  /** A leg was answered: the caller leg after our `answer`, or a leg we dialled. */
  | { type: "leg_answered"; leg: LegId; role: LegRole; at: number }
  /** A leg we dialled started ringing; carries its new call_control_id. */
  | { type: "leg_dialled"; leg: LegId; role: LegRole; at: number }
  | { type: "speak_ended"; leg: LegId; at: number }
  | { type: "playback_ended"; leg: LegId; at: number }
  /** A gather finished; digits without the terminating '#'. */
  | { type: "digits_gathered"; leg: LegId; digits: string; status: GatherStatus; at: number }
  /**
   * A question asked by voice was answered (Telnyx's speech gather): the answer as text, or null
   * when nothing usable was heard. Never a transcript: only the one field asked for.
   */
  | { type: "voice_answered"; leg: LegId; status: "valid" | "invalid"; answer: string | null; at: number }
  /** One key pressed on a leg outside any gather (e.g. "##" during talk for a next call). */
  | { type: "dtmf_received"; leg: LegId; digit: string; at: number }
  | { type: "legs_bridged"; leg: LegId; role: LegRole; at: number }
  | {
      type: "leg_hung_up";
      leg: LegId;
      role: LegRole;
      cause: HangupCause;
      at: number;
      source?: HangupSource;
    }
  | { type: "recording_saved"; leg: LegId; url: string; durationSec: number; at: number }
  /** A leg entered or left a Telnyx queue (enqueue / leave_queue, or bridged out of it). */
  | { type: "leg_enqueued"; leg: LegId; queue: string; at: number }
  | { type: "leg_dequeued"; leg: LegId; queue: string; at: number }
  /** One of the flow's timers (set_timer) came due. */
  | { type: "timer_fired"; name: string; at: number }
  /** Agent routing through the line's LineSession. */
  | { type: "agent_reserved"; agentId: string; destination: string; name: string; at: number }
  | { type: "no_agent_available"; at: number }
  /** The line's hold queue offers this call an agent who became free. */
  | { type: "agent_offered"; agentId: string; destination: string; name: string; at: number }
  | { type: "queue_joined"; position: number; at: number }
  /**
   * Someone outside the call (an agent, an admin) asked for something through the API. `key` is
   * their idempotency key: the flow sees each key once and answers with reply_action.
   */
  | {
      type: "action_requested";
      action: string;
      key: string;
      params: Record<string, unknown>;
      by: ActionPrincipal;
      at: number;
    }
  /** The call record is written (answer to record_call). */
  | { type: "call_settled"; at: number };

export type EngineEventType = EngineEvent["type"];

/** Commands the flow asks for. The shell gives each a deterministic id and sends it in its lane. */
export type EngineCommand =
  | { type: "answer"; leg: LegId }
  | { type: "speak"; leg: LegId; text: string; targetLegs?: "self" | "opposite" | "both" }
  | {
      type: "gather";
      leg: LegId;
      prompt: string;
      minDigits: number;
      maxDigits: number;
      /** Ends entry early; not included in the gathered digits. */
      terminator?: "#";
      validDigits?: string;
      timeoutMs: number;
      interDigitTimeoutMs?: number;
    }
  /** Ends the leg's running gather now (its result comes back as digits_gathered, cancelled). */
  | { type: "stop_gather"; leg: LegId }
  /**
   * Ask one question by voice (a speech gather): the prompt spoken, the answer heard as text for
   * `field`. Never for card data: card fields are keypad-only.
   */
  | { type: "ask_by_voice"; leg: LegId; field: string; prompt: string; timeoutMs: number }
  | { type: "play"; leg: LegId; audioUrl: string; loop: boolean }
  | { type: "stop_playback"; leg: LegId }
  | {
      type: "dial";
      /** Any role the flow needs (agent:<id>, dest:<n>): it comes back in every webhook of the leg. */
      role: LegRole;
      to: string;
      from: string;
      linkTo: LegId;
      timeoutSecs: number;
      /** Server-side backstop; Telnyx allows 30–14400. */
      timeLimitSecs?: number;
      /** Telnyx bridges the new leg to linkTo as soon as it answers. */
      bridgeOnAnswer?: boolean;
    }
  | {
      type: "bridge";
      leg: LegId;
      other: LegId;
      /** "self": this leg stays up (parked) when the other leaves the bridge, e.g. into a queue. */
      parkAfterUnbridge?: "self";
      /** Keeps DTMF from reaching a side of the bridge ("opposite": the other leg hears no tones). */
      muteDtmf?: "none" | "both" | "self" | "opposite";
    }
  /** Puts a leg in a Telnyx queue (unbridging it): it hears the queue's audio, nobody hears it. */
  | { type: "enqueue"; leg: LegId; queue: string; maxWaitSecs?: number }
  | { type: "leave_queue"; leg: LegId }
  | { type: "transfer"; leg: LegId; to: string; from: string; timeoutSecs: number; role?: LegRole }
  | { type: "record_start"; leg: LegId; maxLengthSecs: number; playBeep: boolean }
  | { type: "record_stop"; leg: LegId }
  | { type: "record_pause"; leg: LegId }
  | { type: "record_resume"; leg: LegId }
  | { type: "hangup"; leg: LegId }
  /** Timers: one named timer at a time per name; setting again replaces it. */
  | { type: "set_timer"; name: string; at: number }
  | { type: "clear_timer"; name: string }
  /** Mark digits of the following events as sensitive in logs until cleared. */
  | { type: "log_sensitive"; on: boolean }
  /** Agent routing through the line's LineSession; answered with agent_reserved / no_agent_available. */
  | { type: "reserve_agent"; lineId: string; exclude: string[] }
  | { type: "release_agent"; lineId: string; agentId: string }
  | { type: "join_hold_queue"; lineId: string }
  | { type: "leave_hold_queue"; lineId: string }
  /** The agent now talks on this call: the agent ↔ call index points at it until release_agent. */
  | { type: "agent_connected"; lineId: string; agentId: string }
  /** Persist the call's outcome (call record + payments) once; answered with call_settled. */
  | { type: "record_call"; record: CallRecord }
  /** The flow's answer to an action_requested (kept under its key, so a retry gets the same). */
  | { type: "reply_action"; key: string; reply: ActionReply };

export type EngineCommandType = EngineCommand["type"];

/** What every flow is given besides its state and the event. */
export interface FlowContext<Config = unknown> {
  /** Epoch ms at the time the shell handles the event. */
  now: number;
  /** The call session id (used to derive idempotency keys). */
  sessionId: string;
  line: LineInfo<Config>;
}

export interface LineInfo<Config = unknown> {
  id: string;
  number: string;
  name: string;
  product: string;
  voice: string;
  config: Config;
  /** Who the line's money goes to; absent or null = the platform's own account. */
  payee?: Payee | null;
}

/** A merchant paid directly (a Stripe connected account), as the line lookup found it. */
export interface Payee {
  merchantId: string;
  /** The connected account that receives the charges (destination charges). */
  accountId: string;
  chargesEnabled: boolean;
}

export interface StepResult<S, Cmd extends Tagged = never> {
  state: S;
  commands: (EngineCommand | Cmd)[];
}

/**
 * A product flow: a pure state machine over the engine's events and its own (Ev), issuing the
 * engine's commands and its own (Cmd). Unexpected (state, event) pairs return the state unchanged.
 */
export interface Flow<S, Config = unknown, Cmd extends Tagged = never, Ev extends TaggedEvent = never> {
  name: string;
  /** The stored shape of S; bump it when that shape changes (an older state goes to migrate). */
  stateVersion?: number;
  /** Upgrades a state stored by an older version, or null when it cannot (the shell then abandons the call safely). */
  migrate?(state: unknown, fromVersion: number): S | null;
  init(ctx: FlowContext<Config>): S;
  step(state: S, event: EngineEvent | Ev, ctx: FlowContext<Config>): StepResult<S, Cmd>;
  /** True once the flow has nothing left to do (tombstone time). */
  isDone(state: S): boolean;
  /** Latest time the call can still legitimately be running, for the stale-call guard (null = unknown). */
  deadline?(state: S): number | null;
  /** What may be shown outside the call (API, live stream): never digits. The line gives its settings. */
  view?(state: S, line: LineInfo<Config>): CallView;
}

export type { ActionPrincipal, ActionReply, CallView } from "./actions";
export type { CallRecord, CallStatus, EndedBy, PaymentRecord } from "./call-record";
