/**
 * The agent line's own commands and result events: who the caller is (number, directory, code),
 * credit reserved while the call lasts, and the order (and maybe invoice) written at its end.
 * Declared here, not in the engine. The customer code goes only into the call's memory
 * (hold_customer_code), like card digits: never the outbox, storage or logs.
 */

/** What a flow needs to know about a recognised customer. */
export interface CustomerView {
  id: string;
  name: string;
  /** Set when the customer (not only the number) is blacklisted: what the caller hears. */
  blacklistPrompt: string | null;
  /** An invoice sent and not paid: the caller is told and cannot call. */
  unpaid: { amount: number } | null;
  blocked: boolean;
  /** Credit left to reserve now, öre (limit + overdraft − open balance − active reservations). */
  available: number;
  articleNr: string;
  pricePerMinute: number;
  vatRateBp: number;
  perCall: number;
}

export type Identified =
  | { kind: "customer"; customer: CustomerView; created: boolean }
  /** Not billable by number: the caller may enter a customer code. */
  | { kind: "unknown"; reason: "not_found" | "secret" | "incomplete" }
  | { kind: "blacklisted"; prompt: string }
  | { kind: "locked"; until: number };

export type AgentLineCommand =
  | { type: "identify_caller"; number: string }
  | { type: "hold_customer_code"; value: string }
  /** Checks the code held in memory for this number; wrong codes count towards the lockout. */
  | { type: "check_customer_code"; number: string }
  /** Reserves up to `amount` of what is left, at least `minimum` (else refused). */
  | { type: "reserve_credit"; customerId: string; reservationId: string; amount: number; minimum: number }
  /** Ends the call's credit: releases its reservations, writes its order once, maybe an invoice. */
  | {
      type: "settle_order";
      customerId: string;
      lineId: string;
      talkSeconds: number;
      billableSeconds: number;
      articleNr: string;
      pricePerMinute: number;
      extras: number;
      amount: number;
      vatRateBp: number;
      /** One minute and the per-call articles: less than this left under the limit invoices the open orders. */
      nextCallMinimum: number;
    };

export type AgentLineEvent =
  | { type: "caller_identified"; identified: Identified; at: number }
  | { type: "code_checked"; identified: Identified | { kind: "wrong"; locked: boolean }; at: number }
  | { type: "credit_reserved"; reservationId: string; amount: number; at: number }
  | { type: "credit_refused"; reservationId: string; at: number }
  | { type: "order_settled"; orderId: string | null; invoiceId: string | null; at: number };
