/**
 * Assisted mode's own words: the four card fields the agent asks for (in any order, any again),
 * where each stands, and how many declines the request has had. Pure data with no card digits:
 * only whether a field is waiting, being entered, complete or failed.
 */

/** The card fields an agent can ask for, in the order the console lists them. */
export const ASSISTED_FIELDS = ["number", "expiry", "cvc", "zip"] as const;
export type AssistedField = (typeof ASSISTED_FIELDS)[number];

/** "failed": the caller's entry was refused (bad number, three tries, 60 s of silence, a decline). */
export type FieldStatus = "waiting" | "entering" | "complete" | "failed";

export interface AssistedFields {
  fields: Record<AssistedField, FieldStatus>;
  /** Declines so far: the card is asked for again until MAX_DECLINES. */
  declines: number;
  /** Stripe's code for the last decline, for the agent to read (never card data). */
  declineCode: string | null;
}

/** What the agent may ask of a running assisted payment (one action each, idempotent by key). */
export const ASSISTED_STEPS = [...ASSISTED_FIELDS, "charge"] as const;
export type AssistedStep = (typeof ASSISTED_STEPS)[number];

export const isAssistedStep = (v: unknown): v is AssistedStep =>
  typeof v === "string" && (ASSISTED_STEPS as readonly string[]).includes(v);
