/**
 * The Meterline Worker: Telnyx and Stripe webhooks, the admin API, health. Exports the Durable
 * Object classes (CallSession per call, LineSession per line) that wrangler.toml binds.
 */
import { Hono } from "hono";
import { createApiApp, onError, notFound } from "./api/app";
import { health } from "./routes/health";
import { stripeWebhooks } from "./routes/webhooks-stripe";
import { telnyxWebhooks } from "./routes/webhooks-telnyx";

export { CallSession } from "../durable-objects/call-session";
export { LineSession } from "../durable-objects/line-session";
export { DeadLetters } from "../durable-objects/dead-letters";

const app = new Hono<{ Bindings: Env }>();
app.route("/webhooks/telnyx", telnyxWebhooks);
app.route("/webhooks/stripe", stripeWebhooks);
app.route("/health", health);
app.route("/api", createApiApp());
app.onError(onError);
app.notFound(notFound);

export default app;
