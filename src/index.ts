/**
 * The Meterline Worker: Telnyx and Stripe webhooks, the admin API, the agent console, health, and
 * the cron trigger's scheduled work (each product's). Exports the Durable
 * Object classes that wrangler.toml binds: CallSession per call, LineSession per line, and
 * AuthThrottle per API client (failed sign-ins), PinBatchJob per PIN batch being generated.
 */
import { Hono } from "hono";
import { createApiApp, onError } from "./api/app";
import { consoleApp } from "./console/console-routes";
import { notFoundOrMethodNotAllowed } from "./api/method-not-allowed";
import { products } from "./products/registry";
import { health } from "./routes/health";
import { stripeWebhooks } from "./routes/webhooks-stripe";
import { telnyxWebhooks } from "./routes/webhooks-telnyx";

export { CallSession } from "../durable-objects/call-session";
export { LineSession } from "../durable-objects/line-session";
export { DeadLetters } from "../durable-objects/dead-letters";
export { WebhookDelivery } from "../durable-objects/webhook-delivery";
export { AuthThrottle } from "./api/auth-throttle";
export { PinBatchJob } from "./products/calling-card/jobs/pin-batch-job";

const app = new Hono<{ Bindings: Env }>();
app.route("/webhooks/telnyx", telnyxWebhooks);
app.route("/webhooks/stripe", stripeWebhooks);
// Each product's own inbound webhooks (the agent line's billing-service callback, …).
for (const product of products.all())
  for (const hook of product.webhooks ?? []) app.route(`/webhooks/${hook.path}`, hook.app);
app.route("/health", health);
app.route("/api", createApiApp());
app.route("/console", consoleApp);
app.onError(onError);
app.notFound(notFoundOrMethodNotAllowed(app));

/** The cron trigger: each product's scheduled work, one failing never stopping the others. */
async function scheduled(controller: ScheduledController, env: Env): Promise<void> {
  const results = await Promise.allSettled(
    products.all().flatMap((p) => (p.scheduled ? [p.scheduled(env, controller.scheduledTime)] : [])),
  );
  for (const r of results)
    if (r.status === "rejected")
      console.error(
        JSON.stringify({ level: "error", msg: "scheduled_failed", error: String(r.reason).slice(0, 300) }),
      );
}

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => ctx.waitUntil(scheduled(controller, env)),
} satisfies ExportedHandler<Env>;
