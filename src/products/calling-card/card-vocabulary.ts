/**
 * The calling-card capability's own commands and result events (the engine never sees these
 * names). The PIN appears only in hold_pin, a memory command: it never reaches the outbox, the
 * call's storage, a log line or a Telnyx request. Everything else carries ids and amounts.
 */
import type { CallRate } from "./rating/pricing";

/** Why a PIN or a card cannot be used now; each has its own spoken message. */
export type CardRefusal =
  | "unknown"
  | "locked"
  | "blocked"
  | "expired"
  | "not_yet_valid"
  | "depleted"
  | "in_use"
  | "not_ready"
  | "not_registered";

export interface CardAccountInfo {
  accountId: string;
  currency: string;
  /** balance − reserved, minor units. */
  available: number;
}

/** What rating a destination tells the flow: the rate, and the card's package and plan fees. */
export interface RatedDestination {
  destination: string;
  prefix: string;
  destinationName: string;
  rate: CallRate;
  /** Free seconds left this period on a package covering the destination (0: none). */
  packageLeft: number;
  packageId: string | null;
  period: number;
  /** The plan's fee per connected call, tax included (minor units), and that tax. */
  connectionFee: number;
  connectionTax: number;
}

export type CardCommand =
  /** The PIN just keyed, into the call's memory only (never storage). */
  | { type: "hold_pin"; value: string }
  | { type: "forget_pin" }
  /** Looks up the PIN held in memory (and activates it on first use): pin_accepted / pin_refused. */
  | { type: "check_pin"; callerNumber: string; maxCalls: number }
  /** Pinless: the card registered to the caller's number: pin_accepted / pin_refused (not_registered). */
  | { type: "find_caller_card"; callerNumber: string; maxCalls: number }
  | { type: "rate_destination"; accountId: string; destination: string }
  /**
   * Reserves up to `amount` of the card's available balance for call `key` (one conditional
   * UPDATE), at least `minimum`, while fewer than `maxCalls` calls hold a reservation.
   */
  | {
      type: "reserve_balance";
      key: string;
      accountId: string;
      amount: number;
      minimum: number;
      maxCalls: number;
      rated: RatedDestination;
    }
  /** Debits what the call cost and releases the rest, once per key. */
  | {
      type: "settle_card_call";
      key: string;
      accountId: string;
      outcome: string;
      destLegId: string | null;
      talkStartedAt: number | null;
      endedAt: number;
      billableSeconds: number;
      packageSeconds: number;
      packageId: string | null;
      period: number;
      amount: number;
      connectionFee: number;
      connectionTax: number;
      costMicros: number;
    };

export type CardEvent =
  | ({ type: "pin_accepted"; at: number } & CardAccountInfo)
  | { type: "pin_refused"; reason: CardRefusal; lockedUntil: number | null; at: number }
  /** The call's memory lost the PIN (the object restarted): ask again. */
  | { type: "pin_lost"; at: number }
  /** The card database could not be reached in time. */
  | { type: "card_unavailable"; at: number }
  | ({ type: "destination_rated"; at: number } & RatedDestination)
  | { type: "destination_unrated"; destination: string; at: number }
  | { type: "balance_reserved"; key: string; amount: number; at: number }
  | {
      type: "reserve_refused";
      key: string;
      reason: "insufficient" | "in_use" | "expired" | "blocked";
      at: number;
    }
  /** amount: what the card paid for the call (fees included); available: what it has left. */
  | {
      type: "card_call_settled";
      key: string;
      amount: number;
      billableSeconds: number;
      balance: number;
      available: number;
      at: number;
    };

export type CardEventType = CardEvent["type"];
