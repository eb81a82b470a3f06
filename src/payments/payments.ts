/**
 * Our own payments interface: only what Meterline uses, in our words, with typed errors that say
 * whether a retry makes sense. Callers (the CallSession DO) never see Stripe's wire names.
 * Nothing here may carry card data: no error, log line or metadata may include a PAN or CVC.
 */

export interface CardDetails {
  number: string;
  expMonth: number;
  /** 4-digit year. */
  expYear: number;
  cvc: string;
  postalCode?: string;
  streetNumber?: string;
}

export type DeclineReason =
  "declined" | "insufficient_funds" | "expired_card" | "incorrect_cvc" | "incorrect_number";

/** A card refused by the processor: our reason, and Stripe's decline code when it gave one. */
export interface Declined {
  ok: false;
  reason: DeclineReason;
  code: string | null;
}

export type AuthorizeResult =
  | {
      ok: true;
      paymentId: string;
      status: "requires_capture" | "succeeded";
      amount: number;
      brand: string;
      last4: string;
    }
  | Declined;

export interface AuthorizeInput {
  /** Integer minor units. */
  amount: number;
  currency: string;
  card: CardDetails;
  /** "manual" = pre-authorisation (hold, captured at call end); "automatic" = charge now. */
  capture: "manual" | "automatic";
  idempotencyKey: string;
  description: string;
  metadata: Record<string, string>;
  /**
   * A merchant paid directly: a destination charge (`transfer_data[destination]`, `on_behalf_of`)
   * with the platform's fee as the application fee (omitted when 0). Absent: the platform's charge.
   */
  payee?: { account: string; applicationFee: number };
}

export type PrepareResult = { ok: true; paymentId: string; brand: string; last4: string } | Declined;

export type ConfirmResult =
  { ok: true; paymentId: string; status: "requires_capture" | "succeeded"; amount: number } | Declined;

/** What undoing a payment of unknown outcome did. */
export type ReleaseOutcome = "canceled" | "refunded" | "nothing_to_do";

export interface Payments {
  /**
   * Sends the card and sets the payment up unconfirmed: no money moves, but its id is known, so
   * whatever a lost confirmation did can later be released. A refused card is a result.
   */
  prepare(input: AuthorizeInput): Promise<PrepareResult>;
  /** Confirms a prepared payment (MOTO): a hold or a charge per its capture method. */
  confirm(paymentId: string, idempotencyKey: string): Promise<ConfirmResult>;
  /** prepare + confirm in one go (keys `<key>` and `<key>:confirm`). A decline is a result. */
  authorize(input: AuthorizeInput): Promise<AuthorizeResult>;
  /**
   * Captures `amount` (≤ the hold) of a manual authorisation; succeeds if already captured. On a
   * merchant's hold, `applicationFee` sets the platform's fee for what is captured.
   */
  capture(paymentId: string, amount: number, idempotencyKey: string, applicationFee?: number): Promise<void>;
  /** Releases an unused hold; succeeds if already cancelled. */
  cancel(paymentId: string, idempotencyKey: string): Promise<void>;
  /**
   * Refunds a captured payment in full; succeeds if already refunded. A destination charge's
   * refund takes the money back from the merchant (reverse_transfer) and returns the fee.
   */
  refund(paymentId: string, idempotencyKey: string): Promise<void>;
  /**
   * Undoes whatever an authorisation whose answer was lost may have done: cancels a hold (or an
   * unconfirmed intent), refunds a charge, and succeeds if it is already cancelled.
   */
  release(paymentId: string, idempotencyKey: string): Promise<ReleaseOutcome>;
}

/** Stripe unreachable, 5xx, 429, or a lock timeout: safe to retry with the same idempotency key. */
export class PaymentsUnavailableError extends Error {
  override name = "PaymentsUnavailableError";
  constructor(
    message: string,
    /** Set when the PaymentIntent exists but its confirmation's outcome is unknown. */
    readonly paymentId?: string,
  ) {
    super(message);
  }
}

/** A request Stripe refused for a reason a retry won't fix (4xx other than card errors). */
export class PaymentsRejectedError extends Error {
  override name = "PaymentsRejectedError";
  constructor(
    message: string,
    /** Stripe's error code (balance_insufficient, charge_disputed…), never its message. */
    readonly code: string = "rejected",
  ) {
    super(message);
  }
}
