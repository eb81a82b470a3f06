/**
 * A local Stripe API stand-in (Node http) for tests and `npm start`: Bearer sk_ auth, Stripe's
 * form encoding, Idempotency-Key replay, injected 5xx/429 failures, a request log with card fields
 * redacted, and signed webhooks. It must never log, store or echo a card number or CVC.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { FormError, parseForm, redactForm } from "./form";
import { authFailure, injectedFailure, parseIncoming, readBody, type Incoming } from "./incoming";
import { createIdempotencyStore, isSavable, requestFingerprint, type Answer } from "./idempotency";
import {
  badParam,
  errorReply,
  newId,
  snapshot,
  type PaymentIntentObject,
  type Reply,
  type StandinStore,
} from "./objects";
import {
  ledgerOf,
  presetAccount,
  updateAccountFlags,
  type AccountObject,
  type PresetAccount,
} from "./connect";
import { routeRequest } from "./router";
import { createWebhookSender, type StripeEvent, type WebhookDelivery } from "./webhooks";

export const STANDIN_API_VERSION = "2026-10-28.endive";

export interface StripeStandinOptions {
  host?: string;
  port?: number;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Clock for `created` fields and card-expiry checks, epoch ms. */
  now?: () => number;
  webhookRetryDelayMs?: number;
  /** Connected accounts that exist from the start (the local stack's demo merchants). */
  accounts?: PresetAccount[];
}

export interface StandinRequest {
  method: string;
  path: string;
  idempotencyKey: string | null;
  /** Flat bracket-keyed form (or query), every `card[...]` field redacted. */
  form: Record<string, string>;
  status: number;
}

export interface FailureRule {
  /** 400 is a refusal (Stripe's invalid_request_error with `code`, e.g. balance_insufficient). */
  status: 500 | 503 | 429 | 400;
  /** For a 400 refusal: Stripe's error code. */
  code?: string;
  count?: number;
  /** Exact request path, or a prefix ending in "*"; any path when absent. */
  path?: string;
  /**
   * The endpoint began and failed (a 500 Stripe saves under the Idempotency-Key and replays for
   * ever), instead of a failure in front of the API that saves nothing. Nothing is created.
   */
  saved?: boolean;
}

export type AccountFlags = Partial<
  Pick<AccountObject, "charges_enabled" | "payouts_enabled" | "details_submitted">
>;

export interface StripeStandin {
  url: string;
  requests: StandinRequest[];
  /** The next matching request(s) fail before running, so no idempotent result is saved. */
  failNext(rule: FailureRule): void;
  paymentIntents: Map<string, PaymentIntentObject>;
  accounts: Map<string, AccountObject>;
  /** Finishes (or undoes) a connected account's onboarding and emits (and sends) account.updated. */
  setAccountFlags(id: string, flags: AccountFlags): StripeEvent | null;
  /** A connected account's balance entries (or the platform's, as "platform") and their sum. */
  ledger(account: string): ReturnType<typeof ledgerOf>;
  events: StripeEvent[];
  webhookDeliveries: WebhookDelivery[];
  /** Resolves when every webhook sent so far has been delivered or given up on. */
  webhooksIdle(): Promise<void>;
  close(): Promise<void>;
}

export async function startStripeStandin(opts: StripeStandinOptions = {}): Promise<StripeStandin> {
  const now = opts.now ?? Date.now;
  const requests: StandinRequest[] = [];
  const events: StripeEvent[] = [];
  const failures: (FailureRule & { remaining: number })[] = [];
  const idempotency = createIdempotencyStore();
  const webhooks = createWebhookSender({
    url: opts.webhookUrl,
    secret: opts.webhookSecret,
    retryDelayMs: opts.webhookRetryDelayMs,
  });
  let current = { requestId: "", idempotencyKey: null as string | null };

  const store: StandinStore = {
    paymentMethods: new Map(),
    cardOutcomes: new Map(),
    usedPaymentMethods: new Set(),
    paymentIntents: new Map(),
    charges: new Map(),
    refunds: new Map(),
    accounts: new Map(),
    ledger: new Map(),
    now: () => Math.floor(now() / 1000),
    emit(type, object) {
      const event: StripeEvent = {
        id: newId("evt"),
        object: "event",
        api_version: STANDIN_API_VERSION,
        created: store.now(),
        data: { object: snapshot(object) },
        livemode: false,
        pending_webhooks: webhooks.enabled ? 1 : 0,
        request: { id: current.requestId, idempotency_key: current.idempotencyKey },
        type,
      };
      events.push(event);
      webhooks.send(event);
    },
  };

  for (const preset of opts.accounts ?? []) presetAccount(store, preset);

  function takeFailure(path: string, saved: boolean): Reply | null {
    const rule = failures.find(
      (f) =>
        (f.saved ?? false) === saved &&
        (!f.path || f.path === path || (f.path.endsWith("*") && path.startsWith(f.path.slice(0, -1)))),
    );
    if (!rule) return null;
    if (--rule.remaining <= 0) failures.splice(failures.indexOf(rule), 1);
    if (rule.status === 400)
      return errorReply(400, {
        type: "invalid_request_error",
        code: rule.code ?? "invalid_request",
        message: "Stripe refused this request.",
      });
    return saved
      ? errorReply(500, { type: "api_error", message: "An unknown error occurred" })
      : injectedFailure(rule.status);
  }

  function execute(method: string, path: string, pairs: [string, string][]): Reply {
    try {
      return routeRequest(store, method, path, parseForm(pairs));
    } catch (err) {
      if (err instanceof FormError) return badParam(err.message, err.param);
      return errorReply(500, { type: "api_error", message: "An unknown error occurred" }, false);
    }
  }

  function answer(incoming: Incoming, requestId: string): { answer: Answer; replayed: boolean } {
    const { method, path, key, pairs } = incoming;
    current = { requestId, idempotencyKey: key };
    const render = (reply: Reply): Answer => ({
      status: reply.status,
      body: `${JSON.stringify(reply.body, null, 2)}\n`,
      requestId,
    });
    const refused = authFailure(incoming.authorization) ?? takeFailure(path, false);
    if (refused) return { answer: render(refused), replayed: false };
    if (!key) return { answer: render(execute(method, path, pairs)), replayed: false };
    const fingerprint = requestFingerprint(method, path, pairs);
    const previous = idempotency.lookup(key, fingerprint);
    if (previous.kind === "replay") return { answer: previous.answer, replayed: true };
    if (previous.kind === "mismatch") return { answer: render(previous.reply), replayed: false };
    const reply = takeFailure(path, true) ?? execute(method, path, pairs);
    const fresh = render(reply);
    if (isSavable(reply)) idempotency.save(key, fingerprint, fresh);
    return { answer: fresh, replayed: false };
  }

  function respond(req: IncomingMessage, res: ServerResponse, rawBody: string): void {
    if (controlled(req, res, rawBody)) return;
    const incoming = parseIncoming(req, rawBody);
    const requestId = newId("req", 14);
    const { answer: out, replayed } = answer(incoming, requestId);
    const { method, path, key, pairs } = incoming;
    requests.push({ method, path, idempotencyKey: key, form: redactForm(pairs), status: out.status });
    res.writeHead(out.status, {
      "content-type": "application/json",
      "request-id": requestId,
      "stripe-version": incoming.stripeVersion ?? STANDIN_API_VERSION,
      ...(key ? { "idempotency-key": key } : {}),
      ...(replayed ? { "idempotent-replayed": "true", "original-request": out.requestId } : {}),
    });
    res.end(out.body);
  }

  /**
   * The stand-in's own control route (never Stripe's): tests inside workerd, which cannot reach this
   * object, queue failures with POST /_standin/fail-next {status, path?, count?, saved?}.
   */
  function setAccountFlags(id: string, flags: AccountFlags): StripeEvent | null {
    current = { requestId: "", idempotencyKey: null };
    return updateAccountFlags(store, id, flags) ? (events.at(-1) ?? null) : null;
  }

  /**
   * Connect control routes: POST /_standin/accounts/{id}/flags {charges_enabled?, payouts_enabled?,
   * details_submitted?} answers {event} (the account.updated it emitted, for a test to sign and
   * send); GET /_standin/ledger/{account} answers that account's balance entries and sum.
   */
  function connectControl(req: IncomingMessage, res: ServerResponse, rawBody: string): boolean {
    const url = req.url ?? "";
    const flags = /^\/_standin\/accounts\/([^/]+)\/flags$/.exec(url);
    const ledger = /^\/_standin\/ledger\/([^/]+)$/.exec(url);
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (flags?.[1] && req.method === "POST") {
      let event: StripeEvent | null;
      try {
        event = setAccountFlags(decodeURIComponent(flags[1]), JSON.parse(rawBody || "{}") as AccountFlags);
      } catch {
        send(400, { error: "bad flags" });
        return true;
      }
      if (event) send(200, { event });
      else send(404, { error: "no such account" });
      return true;
    }
    if (ledger?.[1] && req.method === "GET") {
      send(200, ledgerOf(store, decodeURIComponent(ledger[1])));
      return true;
    }
    return false;
  }

  function controlled(req: IncomingMessage, res: ServerResponse, rawBody: string): boolean {
    if (connectControl(req, res, rawBody)) return true;
    if (req.url !== "/_standin/fail-next" || req.method !== "POST") return false;
    try {
      const rule = JSON.parse(rawBody) as FailureRule;
      if (![500, 503, 429, 400].includes(rule.status)) throw new Error("status");
      failures.push({ ...rule, remaining: rule.count ?? 1 });
      res.writeHead(204).end();
    } catch {
      res.writeHead(400, { "content-type": "application/json" }).end('{"error":"bad rule"}');
    }
    return true;
  }

  const server = createServer((req, res) => {
    readBody(req).then(
      (rawBody) => respond(req, res, rawBody),
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;

  return {
    url: `http://${address.includes(":") ? `[${address}]` : address}:${port}`,
    requests,
    paymentIntents: store.paymentIntents,
    accounts: store.accounts,
    setAccountFlags,
    ledger: (account) => ledgerOf(store, account),
    events,
    webhookDeliveries: webhooks.deliveries,
    failNext: (rule) => void failures.push({ ...rule, remaining: rule.count ?? 1 }),
    webhooksIdle: () => webhooks.idle(),
    async close() {
      webhooks.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
