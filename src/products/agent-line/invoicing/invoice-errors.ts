/**
 * Why an invoice action was refused, in words an admin can act on. The API turns these into
 * problem JSON (409 for the invoice's state, 422 for the request itself); the billing callback
 * logs them.
 */
export type InvoiceRefusal =
  "not_draft" | "not_sent" | "credited" | "underpaid" | "not_an_invoice" | "no_lines";

export class InvoiceActionError extends Error {
  constructor(
    readonly refusal: InvoiceRefusal,
    message: string,
  ) {
    super(message);
    this.name = "InvoiceActionError";
  }
}
