/**
 * The security matrix's expectations: one row per operation in the OpenAPI document, keyed
 * "METHOD /v1/path". A row states the scopes the operation must declare and, where agent tokens
 * may use it, whether it is the agent's own (another agent's token gets `other`, the owner `own`)
 * or shared (any agent's token gets what the owner's gets). Every other column (no token,
 * malformed, revoked, wrong scope) follows from the scopes. A route with no row fails the matrix,
 * so a new route is reviewed here before it ships.
 */
import type { Scope } from "../../../src/api/context";

export interface OwnedByAgent {
  /** Agent B's token on agent A's resource. */
  other: 403 | 404;
  /** Agent A's own token on it: proves the refusal is about ownership, not a missing resource. */
  own: number;
}

/**
 * What a merchant's token gets, for a route whose scopes include merchant: `filtered` lists answer
 * 200 to both merchants but show another merchant nothing of the owner's; an id route answers the
 * other merchant `other` (404: ids do not leak) and the owner `own`. Routes without scope merchant
 * answer every merchant's token 403.
 */
export type MerchantRule = "filtered" | { other: 404; own: number };

export interface RouteRule {
  scopes: readonly Scope[];
  /** Required when the scopes include merchant. */
  merchants?: MerchantRule;
  /** Path parameters the merchant matrix fills from other fixture ids (a finished call, a spare agent). */
  use?: Record<string, string>;
  /** A query string the merchant matrix adds (for a route that needs one to answer 200). */
  query?: string;
  /** Required when the scopes include agent. */
  agents?: "shared" | OwnedByAgent;
  /** The body the agent columns send (writes need one that would pass validation). */
  body?: unknown;
  headers?: Record<string, string>;
}

const READ: readonly Scope[] = ["admin", "agent", "readonly"];
const read: RouteRule = { scopes: READ, agents: "shared" };
const MREAD: readonly Scope[] = [...READ, "merchant"];
/** A merchant's own records: filtered lists, and ids of another merchant answer 404. */
const mList: RouteRule = { scopes: MREAD, agents: "shared", merchants: "filtered" };
const mRead = (own = 200): RouteRule => ({ scopes: MREAD, agents: "shared", merchants: { other: 404, own } });
const admin: RouteRule = { scopes: ["admin"] };

export const ROUTE_RULES: Record<string, RouteRule> = {
  // Lines and their agents. An agent token changes its own agent's status, nobody else's.
  "POST /v1/lines": admin,
  // A merchant's token manages its own lines' settings and agents; numbers come and go with admins.
  "GET /v1/lines": mList,
  "GET /v1/lines/{lineId}": mRead(),
  "PATCH /v1/lines/{lineId}": {
    scopes: ["admin", "merchant"],
    merchants: { other: 404, own: 200 },
    body: { name: "Matrix line" },
  },
  "DELETE /v1/lines/{lineId}": admin,
  "POST /v1/lines/{lineId}/agents": {
    scopes: ["admin", "merchant"],
    merchants: { other: 404, own: 201 },
    body: { name: "Matrix agent", destination: "+15550001234" },
  },
  "GET /v1/lines/{lineId}/agents": mRead(),
  "GET /v1/lines/{lineId}/agents/{agentId}": mRead(),
  "PATCH /v1/lines/{lineId}/agents/{agentId}": {
    scopes: ["admin", "agent", "merchant"],
    agents: { other: 403, own: 200 },
    merchants: { other: 404, own: 200 },
    body: { status: "available" },
  },
  "DELETE /v1/lines/{lineId}/agents/{agentId}": {
    scopes: ["admin", "merchant"],
    merchants: { other: 404, own: 204 },
    use: { agentId: "spareAgentId" },
  },
  "GET /v1/lines/{lineId}/report": { ...mRead(), query: "from=2026-01-01&to=2026-01-31" },

  // Merchants paid directly: admins create them; a merchant's token sees its own record and
  // statement and asks for its own onboarding link.
  "POST /v1/merchants": admin,
  "GET /v1/merchants": mList,
  "GET /v1/merchants/{merchantId}": mRead(),
  "POST /v1/merchants/{merchantId}/account-links": {
    scopes: ["admin", "merchant"],
    merchants: { other: 404, own: 200 },
    body: { refresh_url: "https://example.com/refresh", return_url: "https://example.com/return" },
  },
  "GET /v1/merchants/{merchantId}/statement": { ...mRead(), query: "date=2026-01-15" },
  "GET /v1/merchants/{merchantId}/statement.csv": { ...mRead(), query: "date=2026-01-15" },

  "POST /v1/tokens": admin,
  "GET /v1/tokens": admin,
  "GET /v1/tokens/{tokenId}": admin,
  "DELETE /v1/tokens/{tokenId}": admin,

  // Call records are shared reads; a live call is its agent's own (ids do not leak: 404).
  "GET /v1/calls": mList,
  "GET /v1/calls/{callId}": { ...mRead(), use: { callId: "finishedCallId" } },
  "GET /v1/calls.csv": mList,
  "GET /v1/agents/me/call": { scopes: ["agent"], agents: { other: 404, own: 200 } },
  "GET /v1/calls/{callId}/live": {
    scopes: MREAD,
    agents: { other: 404, own: 200 },
    merchants: { other: 404, own: 200 },
  },
  "GET /v1/calls/{callId}/live/stream": {
    scopes: MREAD,
    agents: { other: 404, own: 101 },
    merchants: { other: 404, own: 101 },
    headers: { upgrade: "websocket" },
  },
  "POST /v1/calls/{callId}/end": admin,
  // Secure payments: only the agent on the call (or an admin) asks for one, follows it or takes it
  // back; another agent's token is refused by the call (403) or learns nothing of it (404). The
  // matrix's own POST starts the payment its GET and DELETE rows then find (and cancel).
  "GET /v1/agents/me": { scopes: ["agent"], agents: "shared" },
  "POST /v1/calls/{callId}/payment-requests": {
    scopes: ["agent", "admin"],
    agents: { other: 403, own: 201 },
    body: { item: "Matrix", amount: 100, currency: "usd" },
    headers: { "idempotency-key": "matrix-payment" },
  },
  "GET /v1/calls/{callId}/payment-requests/{requestId}": {
    scopes: MREAD,
    agents: { other: 404, own: 200 },
    merchants: { other: 404, own: 200 },
  },
  "DELETE /v1/calls/{callId}/payment-requests/{requestId}": {
    scopes: ["agent", "admin"],
    agents: { other: 403, own: 200 },
  },
  "POST /v1/calls/{callId}/payment-requests/{requestId}/steps": {
    scopes: ["agent", "admin"],
    agents: { other: 403, own: 409 },
    body: { step: "number" },
    headers: { "idempotency-key": "matrix-step" },
  },
  "GET /v1/secure-payments": mList,
  "GET /v1/secure-payments.csv": mList,
  "GET /v1/secure-payments/{paymentId}": {
    scopes: MREAD,
    agents: { other: 404, own: 200 },
    merchants: { other: 404, own: 200 },
  },
  "GET /v1/dead-letters": admin,
  "POST /v1/calls/{callId}/dead-letters/{commandId}/retry": admin,
  "GET /v1/payments": mList,
  "GET /v1/voicemails": mList,
  "GET /v1/voicemails/{voicemailId}": mRead(),
  // The Telnyx fake holds no recording for the seeded voicemail: the owner passes the fence and
  // hears "no recording" (404 from the handler, told apart by its detail in the merchant matrix).
  "GET /v1/voicemails/{voicemailId}/recording": mRead(404),

  // The agent line's register, invoices and orders, and the calling cards are the platform's own
  // products, not a merchant's business: a merchant's token gets 403 there (as on tokens, dead letters).

  // The agent line's register: agents read it (they talk to these customers), admins change it.
  "POST /v1/customers": admin,
  "GET /v1/customers": read,
  "GET /v1/customers/{customerId}": read,
  "PATCH /v1/customers/{customerId}": admin,
  "DELETE /v1/customers/{customerId}": admin,
  "GET /v1/customers.csv": read,
  "POST /v1/customers/{customerId}/numbers": admin,
  "GET /v1/customers/{customerId}/numbers/{number}": read,
  "DELETE /v1/customers/{customerId}/numbers/{number}": admin,
  "POST /v1/customers/{customerId}/notes": admin,
  "GET /v1/customers/{customerId}/notes": read,
  "GET /v1/customers/{customerId}/notes/{noteId}": read,
  "GET /v1/customers/{customerId}/history": read,
  "POST /v1/directory/import": admin,
  "GET /v1/directory/{number}": read,
  "POST /v1/blacklist": admin,
  "GET /v1/blacklist": read,
  "GET /v1/blacklist/{entryId}": read,
  "POST /v1/blacklist/{entryId}/lift": admin,
  "POST /v1/price-lists": admin,
  "GET /v1/price-lists": read,
  "GET /v1/price-lists/{priceListId}": read,
  "PATCH /v1/price-lists/{priceListId}": admin,
  "POST /v1/price-lists/{priceListId}/articles": admin,
  "GET /v1/price-lists/{priceListId}/articles/{articleId}": read,
  "PATCH /v1/price-lists/{priceListId}/articles/{articleId}": admin,
  "DELETE /v1/price-lists/{priceListId}/articles/{articleId}": admin,
  "GET /v1/orders": read,
  "GET /v1/orders.csv": read,
  "GET /v1/invoices": read,
  "GET /v1/invoices/{invoiceId}": read,
  "GET /v1/invoices.csv": read,
  "PATCH /v1/invoices/{invoiceId}/lines/{seq}": admin,
  "POST /v1/invoices/{invoiceId}/lines": admin,
  "POST /v1/invoices/{invoiceId}/send": admin,
  "POST /v1/invoices/{invoiceId}/payments": admin,
  "POST /v1/invoices/{invoiceId}/credit-note": admin,

  // Prepaid calling cards. Whatever shows or changes a PIN is admin's alone; balances, plans, rates
  // and the margin report are shared reads.
  "POST /v1/pin-batches": admin,
  "GET /v1/pin-batches": read,
  "GET /v1/pin-batches/{batchId}": read,
  "PATCH /v1/pin-batches/{batchId}": admin,
  "POST /v1/pin-batches/{batchId}/generate": admin,
  "POST /v1/pin-batches/{batchId}/upload": admin,
  "GET /v1/pin-batches/{batchId}/pins": admin,
  "GET /v1/pin-batches/{batchId}/pins.csv": admin,
  "PATCH /v1/pins/{pinId}": admin,
  "POST /v1/pins/{pinId}/caller-ids": admin,
  "GET /v1/pins/{pinId}/caller-ids/{number}": admin,
  "POST /v1/card-plans": admin,
  "GET /v1/card-plans": read,
  "GET /v1/card-plans/{planId}": read,
  "POST /v1/rate-decks/{deck}/versions": admin,
  "GET /v1/rate-decks/{deck}/versions": read,
  "GET /v1/rate-decks/{deck}/versions/{versionId}": read,
  "GET /v1/rate-decks/{deck}/rate": read,
  "GET /v1/card-accounts/{accountId}": read,
  "GET /v1/card-accounts/{accountId}/ledger": read,
  "GET /v1/card-accounts/{accountId}/ledger/{entryId}": read,
  "POST /v1/card-accounts/{accountId}/adjustments": admin,
  "GET /v1/card-reports/margin": read,
};
