/**
 * What the outside world may do to a live call and see of it: an action someone asked for (with
 * who asked), the flow's reply, and the public view of the call pushed to subscribers. Pure data;
 * the view never carries digits, card data or unmasked numbers.
 */

/** Who asked for an action: the API principal, reduced to what a flow may check. */
export interface ActionPrincipal {
  /** "admin" may act on any call; "agent" only on the call they are connected to. */
  kind: "admin" | "agent";
  /** The agent record an agent token is tied to. */
  agentId: string | null;
}

/** A request field a refusal names (the API answers it as a problem's `errors`). */
export interface ActionFieldError {
  field: string;
  message: string;
}

/** A flow's answer to an action: accepted (with a small JSON result), or refused with a reason. */
export type ActionReply =
  | { ok: true; result: Record<string, unknown> }
  | {
      ok: false;
      status: 403 | 404 | 409 | 422;
      title: string;
      detail: string;
      /** The fields at fault, when the refusal is about what was asked (an amount over the limit). */
      errors?: ActionFieldError[];
    };

export const refuse = (
  status: 403 | 404 | 409 | 422,
  title: string,
  detail: string,
  errors?: ActionFieldError[],
): ActionReply => ({ ok: false, status, title, detail, ...(errors?.length ? { errors } : {}) });

/** The part of a call anyone allowed to watch it may see, live. */
export interface CallView {
  phase: string;
  /** A finer step inside the phase (e.g. the card field being entered: "number", "expiry"). */
  step?: string | null;
  /** Talk, once it started: limitAt is when the money runs out (null: no limit). */
  talk?: { startedAt: number; limitAt: number | null; pausedSince: number | null } | null;
  agentId?: string | null;
  /** Product-specific public facts (e.g. a payment request's status); never digits. */
  detail?: Record<string, string | number | boolean | null>;
}
