/**
 * The Meterline Worker: Telnyx and Stripe webhooks, the admin API, the agent console, health. Exports the Durable
 * Object classes that wrangler.toml binds: CallSession per call, LineSession per line, and
 * AuthThrottle per API client (failed sign-ins).
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

export default app;
