/**
 * The call engine's vocabulary: what a flow can be told (CallEvent), what it can ask for
 * (Command), and what it is given (FlowContext). Pure data: no I/O, no clock, no platform types.
 * Wire names (call.gather.ended, command_id, Stripe form fields) never appear here; adapters map.
 */

/** A Telnyx call leg, named by its call_control_id. */
export type LegId = string & { readonly __brand: "LegId" };
export const legId = (id: string): LegId => id as LegId;

/** Which leg of a call an event or command concerns, in the flow's own words. */
export type LegRole = "caller" | `agent:${string}`;

export type HangupCause =
  | "normal_clearing"
  | "originator_cancel"
  | "timeout"
  | "time_limit"
  | "user_busy"
  | "no_answer"
  | "call_rejected"
  | "unspecified";

export type GatherStatus = "valid" | "invalid" | "timeout" | "cancelled" | "hangup";

/** Events carry `at` = the platform's time of the event (epoch ms), never our receive time. */
export type CallEvent =
  /** Inbound call reached one of our numbers (caller leg). */
  | { type: "call_started"; leg: LegId; from: string; to: string; at: number; connectionId?: string }
  /** A leg was answered: the caller leg after our `answer`, or a dialled agent leg. */
  | { type: "leg_answered"; leg: LegId; role: LegRole; at: number }
  /** A leg we dialled started ringing; carries its new call_control_id. */
  | { type: "leg_dialled"; leg: LegId; role: LegRole; at: number }
  | { type: "speak_ended"; leg: LegId; at: number }
  | { type: "playback_ended"; leg: LegId; at: number }
  /** A gather finished; digits without the terminating '#'. */
  | { type: "digits_gathered"; leg: LegId; digits: string; status: GatherStatus; at: number }
  | { type: "legs_bridged"; leg: LegId; role: LegRole; at: number }
  | { type: "leg_hung_up"; leg: LegId; role: LegRole; cause: HangupCause; at: number }
  | { type: "recording_saved"; leg: LegId; url: string; durationSec: number; at: number }
  /** One of the flow's timers (set_timer) came due. */
  | { type: "timer_fired"; name: string; at: number }
  /** Results of effect commands, fed back by the shell. */
  /** The card's payment is set up at the processor, not yet confirmed: no money has moved. */
  | { type: "payment_prepared"; paymentId: string; brand: string; last4: string; at: number }
  /** Confirmed as a hold (manual capture). */
  | { type: "payment_authorized"; paymentId: string; amount: number; at: number }
  /** Confirmed as a charge (automatic capture). */
  | { type: "payment_charged"; paymentId: string; amount: number; at: number }
  | {
      type: "payment_declined";
      reason: "declined" | "insufficient_funds" | "expired_card" | "incorrect_cvc" | "incorrect_number";
      at: number;
    }
  /** Stripe unreachable or 5xx: the outcome is unknown; a retry with the same key is safe. */
  | {
      type: "payment_unavailable";
      /** The prepared intent whose confirmation's outcome is unknown (absent when preparing failed). */
      paymentId?: string;
      at: number;
    }
  /** The shell no longer holds the card data (object restarted): the flow must ask again. */
  | { type: "card_data_lost"; at: number }
  | { type: "payment_refunded"; paymentId: string; at: number }
  | { type: "agent_reserved"; agentId: string; destination: string; name: string; at: number }
  | { type: "no_agent_available"; at: number }
  /** The line's hold queue offers this call a rep that became free. */
  | { type: "agent_offered"; agentId: string; destination: string; name: string; at: number }
  | { type: "queue_joined"; position: number; at: number }
  | { type: "call_settled"; at: number };

export type CallEventType = CallEvent["type"];

export type CardField = "number" | "expiry" | "street" | "zip" | "cvc";

/** Commands the flow asks for. The shell gives each a deterministic id and sends it in order. */
export type Command =
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
  | { type: "play"; leg: LegId; audioUrl: string; loop: boolean }
  | { type: "stop_playback"; leg: LegId }
  | {
      type: "dial";
      role: LegRole;
      to: string;
      from: string;
      linkTo: LegId;
      timeoutSecs: number;
      /** Server-side backstop; Telnyx allows 30–14400. */
      timeLimitSecs?: number;
    }
  | { type: "bridge"; leg: LegId; other: LegId; parkAfterUnbridge?: "self" }
  | { type: "transfer"; leg: LegId; to: string; from: string; timeoutSecs: number }
  | { type: "record_start"; leg: LegId; maxLengthSecs: number; playBeep: boolean }
  | { type: "record_stop"; leg: LegId }
  | { type: "record_pause"; leg: LegId }
  | { type: "record_resume"; leg: LegId }
  | { type: "hangup"; leg: LegId }
  /** Timers: one named timer at a time per name; setting again replaces it. */
  | { type: "set_timer"; name: string; at: number }
  | { type: "clear_timer"; name: string }
  /** Card data goes only into the shell's memory (never storage, logs or outbox). */
  | { type: "hold_card_field"; field: CardField; value: string }
  | { type: "forget_card" }
  /**
   * Payment effects. prepare_payment sends the card (from the shell's memory) and sets the payment
   * up unconfirmed, so its id is known before money moves: answered with payment_prepared,
   * payment_declined, payment_unavailable or card_data_lost. confirm_payment needs no card data:
   * answered with payment_authorized / payment_charged, payment_declined or payment_unavailable.
   */
  | {
      type: "prepare_payment";
      amount: number;
      currency: string;
      /** "manual" = pre-authorisation (capture later); "automatic" = charge now. */
      capture: "manual" | "automatic";
      idempotencyKey: string;
      description: string;
    }
  | { type: "confirm_payment"; paymentId: string; idempotencyKey: string }
  | { type: "capture_payment"; paymentId: string; amount: number; idempotencyKey: string }
  | { type: "cancel_payment"; paymentId: string; idempotencyKey: string }
  | { type: "refund_payment"; paymentId: string; idempotencyKey: string }
  /** Undo an authorisation of unknown outcome: cancel a hold, refund a charge, or nothing. */
  | { type: "release_payment"; paymentId: string; idempotencyKey: string }
  /** Rep routing through the line's LineSession; answered with agent_reserved / no_agent_available. */
  | { type: "reserve_agent"; lineId: string; exclude: string[] }
  | { type: "release_agent"; lineId: string; agentId: string }
  | { type: "join_hold_queue"; lineId: string }
  | { type: "leave_hold_queue"; lineId: string }
  /** Persist the call's outcome (call record + payments) once; answered with call_settled. */
  | { type: "record_call"; record: CallRecord }
  /** Mark digits of the following events as sensitive in logs until cleared. */
  | { type: "log_sensitive"; on: boolean };

export type CommandType = Command["type"];

export type CallStatus =
  "completed" | "declined_terms" | "payment_failed" | "abandoned" | "voicemail" | "no_agent" | "failed";

/** What the shell writes to the `calls` table (and `payments`) when a flow settles. */
export interface CallRecord {
  lineId: string;
  product: string;
  callerNumber: string;
  calledNumber: string;
  startedAt: number;
  answeredAt: number | null;
  talkStartedAt: number | null;
  endedAt: number;
  billableSeconds: number;
  amount: number;
  currency: string;
  status: CallStatus;
  hangupCause: string | null;
  agentId: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  paymentId: string | null;
  payments: PaymentRecord[];
  voicemail: { url: string; durationSec: number } | null;
}

export interface PaymentRecord {
  paymentId: string;
  /** "release": a payment whose confirmation's outcome was unknown, undone at the end of the call. */
  kind: "authorization" | "capture" | "charge" | "cancel" | "refund" | "release";
  amount: number;
  currency: string;
  status: "succeeded" | "canceled" | "refunded" | "released";
  at: number;
}

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
}

export interface StepResult<S> {
  state: S;
  commands: Command[];
}

/** A product flow: a pure state machine. Unexpected (state, event) pairs return the state unchanged. */
export interface Flow<S, Config = unknown> {
  name: string;
  init(ctx: FlowContext<Config>): S;
  step(state: S, event: CallEvent, ctx: FlowContext<Config>): StepResult<S>;
  /** True once the flow has nothing left to do (tombstone time). */
  isDone(state: S): boolean;
  /** Latest time the call can still legitimately be running, for the stale-call guard (null = unknown). */
  deadline?(state: S): number | null;
}
