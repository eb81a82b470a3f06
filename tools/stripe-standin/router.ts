/**
 * Maps Stripe's v1 paths the project uses to their handlers. Anything else gets Stripe's
 * "Unrecognized request URL" 404, so a typo in the adapter fails loudly instead of silently.
 */
import type { FormObject } from "./form";
import { createRefund } from "./charges";
import { createAccount, createAccountLink, retrieveAccount } from "./connect";
import { invalidRequest, type Reply, type StandinStore } from "./objects";
import {
  cancelPaymentIntent,
  capturePaymentIntent,
  confirmPaymentIntent,
  createPaymentIntent,
  retrievePaymentIntent,
} from "./payment-intents";
import { createPaymentMethod } from "./payment-methods";
import { ParamError } from "./params";

type Handler = (store: StandinStore, form: FormObject, id: string) => Reply;

const routes: { method: string; pattern: RegExp; handler: Handler }[] = [
  { method: "POST", pattern: /^\/v1\/payment_methods$/, handler: (s, f) => createPaymentMethod(s, f) },
  { method: "POST", pattern: /^\/v1\/payment_intents$/, handler: (s, f) => createPaymentIntent(s, f) },
  {
    method: "GET",
    pattern: /^\/v1\/payment_intents\/([^/]+)$/,
    handler: (s, _f, id) => retrievePaymentIntent(s, id),
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/confirm$/,
    handler: (s, f, id) => confirmPaymentIntent(s, id, f),
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/capture$/,
    handler: (s, f, id) => capturePaymentIntent(s, id, f),
  },
  {
    method: "POST",
    pattern: /^\/v1\/payment_intents\/([^/]+)\/cancel$/,
    handler: (s, f, id) => cancelPaymentIntent(s, id, f),
  },
  { method: "POST", pattern: /^\/v1\/refunds$/, handler: (s, f) => createRefund(s, f) },
  { method: "POST", pattern: /^\/v1\/accounts$/, handler: (s, f) => createAccount(s, f) },
  { method: "GET", pattern: /^\/v1\/accounts\/([^/]+)$/, handler: (s, _f, id) => retrieveAccount(s, id) },
  { method: "POST", pattern: /^\/v1\/account_links$/, handler: (s, f) => createAccountLink(s, f) },
];

export function routeRequest(store: StandinStore, method: string, path: string, form: FormObject): Reply {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match || route.method !== method) continue;
    try {
      return route.handler(store, form, decodeURIComponent(match[1] ?? ""));
    } catch (err) {
      if (err instanceof ParamError) return err.reply;
      throw err;
    }
  }
  return invalidRequest(
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    undefined,
    undefined,
    404,
  );
}
