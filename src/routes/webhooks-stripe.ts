/**
 * POST /webhooks/stripe: verify Stripe's signature over the raw body, then record the event once
 * in `payment_events` (Stripe redelivers and duplicates; the event id is the key). It only records:
 * money moves are driven by the CallSession, never by these webhooks. Answers 5xx only when the
 * event could not be stored, so that Stripe redelivers it. A request without a Stripe-Signature
 * header, or with a body over 64 KB, is refused before it is read.
 */
import { Hono } from "hono";
import Stripe from "stripe";
import { ProblemError } from "../api/problem";
import { loadConfig } from "../config";
import { createDb, schema } from "../db/client";
import { applyStripeTruth, truthOf } from "../payments/stripe-truth";
import { readBodyUpTo, WEBHOOK_BODY_LIMIT } from "./webhook-body";

const cryptoProvider = Stripe.createSubtleCryptoProvider();

const problem = (status: 401 | 413 | 503, title: string, detail: string) =>
  new ProblemError(status, title, detail).toResponse();

export const stripeWebhooks = new Hono<{ Bindings: Env }>();

stripeWebhooks.post("/", async (c) => {
  const signature = c.req.header("stripe-signature");
  if (!signature) return problem(401, "Unauthorized", "Send the Stripe-Signature header.");
  const cfg = loadConfig(c.env);
  // The signature covers the exact bytes sent: read them before anything parses the body.
  const rawBody = await readBodyUpTo(c.req.raw);
  if (rawBody === null) {
    console.warn(JSON.stringify({ msg: "stripe.webhook_rejected", reason: "too_large" }));
    return problem(413, "Content Too Large", `Webhook bodies are at most ${WEBHOOK_BODY_LIMIT} bytes.`);
  }
  let event: Stripe.Event;
  try {
    event = await Stripe.webhooks.constructEventAsync(
      rawBody,
      signature,
      cfg.STRIPE_WEBHOOK_SECRET,
      undefined,
      cryptoProvider,
    );
  } catch {
    // A wrong, stale (over 300 s old) or tampered signature: who sent this is unknown, like the
    // Telnyx and billing routes (401). Stripe retries any non-2xx; a genuine event never gets here.
    console.warn(JSON.stringify({ msg: "stripe.webhook_rejected" }));
    return problem(401, "Unauthorized", "Webhook signature could not be verified.");
  }

  const summary = summarizeEvent(event);
  try {
    const db = createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN);
    await db
      .insert(schema.paymentEvents)
      .values({ id: event.id, type: event.type, ...summary, receivedAt: Date.now() })
      .onConflictDoNothing();
    // The API's payment rows show Stripe's truth (a refund made in the dashboard, a dispute…).
    const truth = truthOf(event);
    if (truth) await applyStripeTruth(db, truth);
  } catch (err) {
    console.error(
      JSON.stringify({
        msg: "stripe.webhook_not_stored",
        event: event.id,
        type: event.type,
        error: err instanceof Error ? err.name : "unknown",
      }),
    );
    return problem(503, "Service Unavailable", "The event could not be stored now; retry later.");
  }
  console.log(
    JSON.stringify({
      msg: "stripe.webhook",
      event: event.id,
      type: event.type,
      payment: summary.providerPaymentId,
    }),
  );
  return c.json({ received: true });
});

interface EventSummary {
  providerPaymentId: string | null;
  amount: number | null;
  status: string | null;
}

/** The PaymentIntent an event is about, the amount that event is about, and the object's status. */
export function summarizeEvent(event: Stripe.Event): EventSummary {
  const object = event.data.object as unknown as Record<string, unknown>;
  const text = (key: string) => (typeof object[key] === "string" ? object[key] : null);
  const integer = (key: string) => (typeof object[key] === "number" ? object[key] : null);
  if (object.object === "payment_intent") {
    const amountKey =
      event.type === "payment_intent.amount_capturable_updated"
        ? "amount_capturable"
        : event.type === "payment_intent.succeeded"
          ? "amount_received"
          : "amount";
    return { providerPaymentId: text("id"), amount: integer(amountKey), status: text("status") };
  }
  if (object.object === "charge") {
    const amountKey = event.type === "charge.refunded" ? "amount_refunded" : "amount";
    return { providerPaymentId: text("payment_intent"), amount: integer(amountKey), status: text("status") };
  }
  return { providerPaymentId: null, amount: null, status: null };
}
