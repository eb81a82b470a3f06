/**
 * The secure-payments capability's own words: a payment request an agent makes mid-call, the
 * steps the caller goes through, how a request can end, the record it leaves, and the one command
 * (write that record) and event (it is written) the capability adds to a flow's vocabulary.
 * Pure data. No card data ever appears here: a record holds brand and last 4 only.
 */

/** The steps the agent watches, in the order the caller meets them. */
export const PAYMENT_STEPS = ["amount", "number", "expiry", "cvc", "zip"] as const;
export type PaymentStep = (typeof PAYMENT_STEPS)[number];
export type StepStatus = "waiting" | "entering" | "complete";

/** Why a request did not take money, in the record's words. */
export const FAILURE_REASONS = [
  "amount_rejected",
  "declined",
  "too_many_tries",
  "timed_out",
  "cancelled_by_caller",
  "cancelled_by_agent",
  "caller_hung_up",
  "agent_hung_up",
  "processor_unavailable",
  "not_isolated",
] as const;
export type FailureReason = (typeof FAILURE_REASONS)[number];

export const RECORD_STATUSES = ["succeeded", "failed"] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

/** What an agent (or an admin) asked for: the item, the amount in the line's currency. */
export interface PaymentRequest {
  /** The transaction id, `sp_<call session id>_<n>`: unique, and the same on every replay. */
  id: string;
  /** The Idempotency-Key it was made with (a retry of the request gets this request back). */
  key: string;
  item: string;
  /** Integer minor units. */
  amount: number;
  currency: string;
  /** The agent on the call (the one who asked, or whose call an admin asked on). */
  agentId: string | null;
  requestedBy: "agent" | "admin";
  requestedAt: number;
}

/** How a request ended: charged, or not and why. */
export interface PaymentOutcome {
  status: RecordStatus;
  reason: FailureReason | null;
  /** Stripe's decline code (generic_decline, insufficient_funds…) for a declined card. */
  declineCode: string | null;
  paymentId: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  /** Who left the call while the request ran (a charge can still go through after a hang-up). */
  leftBy: "caller" | "agent" | null;
  at: number;
}

/** The row the capability writes to Turso (and POSTs, signed, to the CRM). */
export interface SecurePaymentRecord {
  id: string;
  callId: string;
  lineId: string;
  /** The line's product (demo, advice, agent_line): where the request was made. */
  product: string;
  agentId: string | null;
  item: string;
  amount: number;
  currency: string;
  status: RecordStatus;
  reason: FailureReason | null;
  declineCode: string | null;
  paymentId: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  leftBy: "caller" | "agent" | null;
  /** Where an early end caught the caller, and how many of the five steps were complete. */
  stoppedAt: PaymentStep | null;
  stepsCompleted: number;
  requestedBy: "agent" | "admin";
  requestedAt: number;
  finishedAt: number;
}

export type SecurePaymentCommand = { type: "record_secure_payment"; record: SecurePaymentRecord };

export type SecurePaymentEvent = { type: "secure_payment_recorded"; id: string; at: number };

/** The actions an agent or admin may ask of a live call (CallSession.act). */
export const REQUEST_PAYMENT = "request_payment";
export const CANCEL_PAYMENT = "cancel_payment_request";
/** Assisted mode: the agent asks for one card field (again), or to charge the card. */
export const PAYMENT_STEP_ACTION = "payment_step";
