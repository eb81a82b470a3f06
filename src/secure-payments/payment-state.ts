/**
 * One secure payment's persisted state and its start: the request, the two legs, where it is
 * (isolating the agent → amount → card → charging → telling the caller → back to the agent), and
 * the hang-ups it holds back from the talk machine while money may still move. Plain JSON with no
 * card data: card capture keeps brand and last 4 only; the digits live in the call's memory.
 * Pure; the clock comes in the context.
 */
import type { CardCaptureState } from "../card-payments/card-capture";
import type { CardCommand, CardEvent } from "../card-payments/vocabulary";
import type { CollectDigitsState } from "../ivr/collect-digits";
import type { EngineCommand, EngineEvent, LegId, LineInfo } from "../ivr/types";
import type { AssistedFields } from "./assisted-fields";
import type { SecurePaymentMode, SecurePaymentSettings } from "./config";
import type {
  PaymentOutcome,
  PaymentRequest,
  PaymentStep,
  SecurePaymentCommand,
  SecurePaymentEvent,
} from "./vocabulary";

export type PaymentPhase =
  "isolating" | "amount" | "card" | "charging" | "releasing" | "announcing" | "rejoining" | "farewell";

export type HangUp = Extract<EngineEvent, { type: "leg_hung_up" }>;
export type PaymentCommand = EngineCommand | CardCommand | SecurePaymentCommand;
export type PaymentEvent = EngineEvent | CardEvent | SecurePaymentEvent;

export interface SecurePaymentState {
  phase: PaymentPhase;
  request: PaymentRequest;
  caller: LegId;
  agent: LegId;
  /** The agent's private Telnyx queue while the caller pays (named after the request). */
  queue: string;
  amountMenu: CollectDigitsState | null;
  card: CardCaptureState | null;
  /** Card entries on this request: new card data gets a new Stripe idempotency key. */
  cardAttempt: number;
  /** The PaymentIntent set up for this card, once Stripe has it. */
  prepared: string | null;
  /** The card's brand and last 4 (from capture, then as Stripe reports them); never more. */
  cardBrand: string | null;
  cardLast4: string | null;
  /** Telnyx confirmed the agent is in the private queue (and the recording was paused). */
  isolated: boolean;
  outcome: PaymentOutcome | null;
  /** The step the caller was on when the request stopped early (the console marks it). */
  stoppedAt: PaymentStep | null;
  /** How many of the five steps were complete when the request ended (null while it runs). */
  completedAtEnd: number | null;
  leftBy: "caller" | "agent" | null;
  /** Hang-ups seen while the request ran: the talk machine hears them once no money can move. */
  held: HangUp[];
  /** A gather listens on the caller's leg: stopped before anything is said over it. */
  listening: boolean;
  /** Our speeches to the caller not yet reported ended (Telnyx plays them one after another). */
  speaking: number;
  /** Its record is written (Turso, and handed to the CRM delivery). */
  recorded: boolean;
  /** Assisted mode only: the agent asks for each card field; where each one stands. */
  assisted?: AssistedFields | null;
  /** Set when the request is over: back to talk at `at`, or the call is ending (hang-ups held). */
  end: { kind: "rejoined"; at: number } | { kind: "call_ending" } | null;
}

export interface PaymentCtx {
  now: number;
  sessionId: string;
  line: LineInfo<unknown>;
  settings: SecurePaymentSettings;
}

export interface PaymentResult {
  state: SecurePaymentState;
  commands: PaymentCommand[];
}

/** Every timer a payment sets; they are cleared when it ends. */
export const PAYMENT_TIMERS = ["sp_isolate", "sp_input", "sp_speech", "sp_rejoin"] as const;
/** Telnyx confirms the enqueue within a second or two; past this the payment does not start. */
export const ISOLATE_BACKSTOP_MS = 10_000;
/** The caller has 60 s after each prompt; if Telnyx never reports the gather, we stop here. */
export const SILENCE_MS = 60_000;
export const INPUT_BACKSTOP_MS = 3 * 60_000;
export const SPEECH_BACKSTOP_MS = 30_000;
export const REJOIN_BACKSTOP_MS = 15_000;
/** How long the agent may wait in the private queue before Telnyx drops them from it. */
export const QUEUE_MAX_WAIT_SECS = 3600;

/** Isolates the agent first: their leg goes into a private queue, so no audio or key reaches them. */
export function startSecurePayment(
  legs: { caller: LegId; agent: LegId },
  request: PaymentRequest,
  now: number,
  mode: SecurePaymentMode = "isolated",
): PaymentResult {
  const state: SecurePaymentState = {
    phase: "isolating",
    request,
    ...legs,
    queue: request.id,
    amountMenu: null,
    card: null,
    cardAttempt: 1,
    prepared: null,
    cardBrand: null,
    cardLast4: null,
    isolated: false,
    outcome: null,
    stoppedAt: null,
    completedAtEnd: null,
    leftBy: null,
    held: [],
    listening: false,
    speaking: 0,
    recorded: false,
    end: null,
  };
  if (mode === "assisted") return startAssisted(state, now);
  return {
    state,
    commands: [
      { type: "enqueue", leg: legs.agent, queue: state.queue, maxWaitSecs: QUEUE_MAX_WAIT_SECS },
      { type: "set_timer", name: "sp_isolate", at: now + ISOLATE_BACKSTOP_MS },
    ],
  };
}

/**
 * Assisted: the agent stays bridged to the caller, but the bridge is made again with Telnyx's
 * `mute_dtmf: "both"`, so no key the caller presses reaches the agent's leg (the webhooks still
 * come to us). Its call.bridged is the confirmation, as call.enqueued is for isolation.
 */
function startAssisted(state: SecurePaymentState, now: number): PaymentResult {
  return {
    state: {
      ...state,
      assisted: {
        fields: { number: "waiting", expiry: "waiting", cvc: "waiting", zip: "waiting" },
        declines: 0,
        declineCode: null,
      },
    },
    commands: [
      { type: "bridge", leg: state.caller, other: state.agent, parkAfterUnbridge: "self", muteDtmf: "both" },
      { type: "set_timer", name: "sp_isolate", at: now + ISOLATE_BACKSTOP_MS },
    ],
  };
}

/** Whether a gather on the caller's leg is among the commands (it is then listening). */
export const opensGather = (state: SecurePaymentState, commands: PaymentCommand[]): boolean =>
  commands.some((c) => c.type === "gather" && c.leg === state.caller);

/** After each prompt: the backstop for a gather whose result never arrives. */
export const inputBackstop = (now: number): PaymentCommand => ({
  type: "set_timer",
  name: "sp_input",
  at: now + INPUT_BACKSTOP_MS,
});

/** The card fields a secure payment asks for, in order (after the amount). */
export const CARD_STEPS = ["number", "expiry", "cvc", "zip"] as const;

/** How many of the five steps are complete now (amount, then the four card fields). */
export function stepsComplete(state: SecurePaymentState): number {
  switch (state.phase) {
    case "isolating":
    case "amount":
      return 0;
    case "card": {
      if (state.assisted)
        return 1 + Object.values(state.assisted.fields).filter((f) => f === "complete").length;
      const field = state.card?.field;
      const at = CARD_STEPS.findIndex((f) => f === field);
      return 1 + Math.max(0, at);
    }
    default:
      return 5;
  }
}
