/**
 * The Meterline Worker: Telnyx and Stripe webhooks, the admin API, health. Exports the Durable
 * Object classes that wrangler.toml binds: CallSession per call, LineSession per line, and
 * AuthThrottle per API client (failed sign-ins), PinBatchJob per PIN batch being generated.
 */
import { Hono } from "hono";
import { createApiApp, onError } from "./api/app";
import { notFoundOrMethodNotAllowed } from "./api/method-not-allowed";
import { health } from "./routes/health";
import { stripeWebhooks } from "./routes/webhooks-stripe";
import { telnyxWebhooks } from "./routes/webhooks-telnyx";

export { CallSession } from "../durable-objects/call-session";
export { LineSession } from "../durable-objects/line-session";
export { DeadLetters } from "../durable-objects/dead-letters";
export { AuthThrottle } from "./api/auth-throttle";
export { PinBatchJob } from "./products/calling-card/jobs/pin-batch-job";

const app = new Hono<{ Bindings: Env }>();
app.route("/webhooks/telnyx", telnyxWebhooks);
app.route("/webhooks/stripe", stripeWebhooks);
app.route("/health", health);
app.route("/api", createApiApp());
app.onError(onError);
app.notFound(notFoundOrMethodNotAllowed(app));

export default app;
