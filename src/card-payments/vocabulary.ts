/**
 * The card-payments capability's own commands and result events, declared here and not in the
 * engine: a flow that takes cards (advice lines, secure payments) adds them to its Cmd / Ev.
 * Card digits appear only in hold_card_field, which the shell applies to its memory inside the
 * step (never the outbox, storage or logs). Every other command and event carries ids and amounts.
 */
export type CardField = "number" | "expiry" | "street" | "zip" | "cvc";

export type DeclineReason =
  "declined" | "insufficient_funds" | "expired_card" | "incorrect_cvc" | "incorrect_number";

/** The money operations that settle a payment; a refusal of any of them is a result, not a drop. */
export type MoneyOperation = "capture" | "cancel" | "refund" | "release";

/**
 * A merchant paid directly: the payment is a destination charge to its connected account, on its
 * behalf, with the platform's fee (minor units, 0 = none) taken as Stripe's application fee.
 */
export interface PaymentPayee {
  account: string;
  applicationFee: number;
}

export type CardCommand =
  /** Card data goes only into the shell's memory (never storage, logs or outbox). */
  | { type: "hold_card_field"; field: CardField; value: string }
  | { type: "forget_card" }
  /**
   * Sends the card (from the shell's memory) and sets the payment up unconfirmed, so its id is known
   * before money moves: answered with payment_prepared, payment_declined, payment_unavailable or
   * card_data_lost.
   */
  | {
      type: "prepare_payment";
      amount: number;
      currency: string;
      /** "manual" = pre-authorisation (capture later); "automatic" = charge now. */
      capture: "manual" | "automatic";
      idempotencyKey: string;
      description: string;
      /** Absent: the platform's own charge. */
      payee?: PaymentPayee;
    }
  /** Needs no card data: answered with payment_authorized / payment_charged, declined or unavailable. */
  | { type: "confirm_payment"; paymentId: string; idempotencyKey: string }
  | {
      type: "capture_payment";
      paymentId: string;
      amount: number;
      idempotencyKey: string;
      /** A merchant's hold: the platform's fee on the captured amount (not on the hold). */
      applicationFee?: number;
    }
  | { type: "cancel_payment"; paymentId: string; idempotencyKey: string }
  | { type: "refund_payment"; paymentId: string; amount: number; idempotencyKey: string }
  /** Undo an authorisation of unknown outcome: cancel a hold, refund a charge, or nothing. */
  | { type: "release_payment"; paymentId: string; idempotencyKey: string };

export type CardCommandType = CardCommand["type"];

export type CardEvent =
  /** The card's payment is set up at the processor, not yet confirmed: no money has moved. */
  /** brand: Stripe's name for it (visa, amex…), which matches ours for the common ones. */
  | { type: "payment_prepared"; paymentId: string; brand: string; last4: string; at: number }
  /** Confirmed as a hold (manual capture). */
  | { type: "payment_authorized"; paymentId: string; amount: number; at: number }
  /** Confirmed as a charge (automatic capture). */
  | { type: "payment_charged"; paymentId: string; amount: number; at: number }
  | {
      type: "payment_declined";
      reason: DeclineReason;
      /** Stripe's decline code when it gave one (generic_decline, insufficient_funds…). */
      code: string | null;
      /** The intent the decline happened on, when one existed. */
      paymentId: string | null;
      at: number;
    }
  /** Stripe unreachable or 5xx: the outcome is unknown; a retry (with a fresh key) is safe. */
  | {
      type: "payment_unavailable";
      /** The prepared intent whose confirmation's outcome is unknown (absent when preparing failed). */
      paymentId?: string;
      at: number;
    }
  /** The shell no longer holds the card data (object restarted): the flow must ask again. */
  | { type: "card_data_lost"; at: number }
  /** Settling money: each operation reports what really happened at Stripe. */
  | {
      type: "payment_settled";
      operation: MoneyOperation;
      paymentId: string;
      amount: number;
      outcome: "done" | "nothing_to_do";
      at: number;
    }
  | { type: "payment_refused"; operation: MoneyOperation; paymentId: string; code: string; at: number };

export type CardEventType = CardEvent["type"];
