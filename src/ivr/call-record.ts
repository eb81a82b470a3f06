/**
 * What the shell writes to Turso when a flow settles: the call row (with who ended it), its
 * payments and its voicemail. Product-specific outcomes (orders, card debits) are written by the
 * product's own commands; this is the record every product shares.
 */

/**
 * How the call ended. Products use their own words beside the shared ones (completed, abandoned,
 * no_input, card_entry_failed, payment_failed, voicemail, no_agent, failed…).
 */
export type CallStatus = string;

/** Who ended the call: the caller, the agent (or dialled party), or we did (limit, goodbye, guard). */
export type EndedBy = "caller" | "agent" | "system";

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
  endedBy: EndedBy | null;
  agentId: string | null;
  cardBrand: string | null;
  cardLast4: string | null;
  paymentId: string | null;
  payments: PaymentRecord[];
  voicemail: { url: string; durationSec: number } | null;
  /** Answers to the line's voice questions, by field (null: asked, not understood). */
  answers?: Record<string, string | null>;
}

export interface PaymentRecord {
  /** The processor's payment id; for a card refused before any payment existed, `attempt:<key>`. */
  paymentId: string;
  /**
   * "attempt": an authorisation the processor refused (status failed, with its code);
   * "release": a payment whose confirmation's outcome was unknown, undone at the end of the call.
   */
  kind: "attempt" | "authorization" | "capture" | "charge" | "cancel" | "refund" | "release";
  amount: number;
  currency: string;
  status: "succeeded" | "canceled" | "refunded" | "released" | "failed" | "refused";
  /** Decline or refusal code (card_declined/insufficient_funds, balance_insufficient…). */
  code?: string | null;
  at: number;
}
