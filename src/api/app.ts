/**
 * The admin HTTP API, mounted by the Worker with `app.route("/api", createApiApp())`:
 * `/api/openapi.json` (OpenAPI 3.1, generated from the route definitions), `/api/docs` (Swagger UI,
 * served by the Worker itself) and the v1 resources under `/api/v1`, all behind bearer tokens. Errors are problem+json from
 * `onError`/`notFound`, which the Worker should also install app-wide.
 */
import { OpenAPIHono } from "@hono/zod-openapi";
import { agentMeRouter } from "../routes/api/agent-me";
import { agentsRouter } from "../routes/api/agents";
import { callsRouter } from "../routes/api/calls";
import { callsCsvRouter } from "../routes/api/calls-csv";
import { deadLettersRouter } from "../routes/api/dead-letters";
import { liveCallsRouter } from "../routes/api/live-calls";
import { linesRouter } from "../routes/api/lines";
import { merchantsRouter } from "../routes/api/merchants";
import { merchantStatementsRouter } from "../routes/api/merchant-statements";
import { paymentsRouter } from "../routes/api/payments";
import { reportsRouter } from "../routes/api/reports";
import { tokensRouter } from "../routes/api/tokens";
import { voicemailsRouter } from "../routes/api/voicemails";
import { securePaymentRouters } from "../secure-payments/api";
import { authenticate } from "./auth";
import { createApiRouter } from "./context";
import { products } from "../products/registry";
import { createDocsApp } from "./docs";
import { configComponentName, configJsonSchema } from "./line-config";
import { notFound, onError, validationHook } from "./problem";

export { notFound, onError } from "./problem";

const routers = [
  linesRouter,
  merchantsRouter,
  merchantStatementsRouter,
  agentsRouter,
  tokensRouter,
  callsRouter,
  callsCsvRouter,
  liveCallsRouter,
  agentMeRouter,
  deadLettersRouter,
  paymentsRouter,
  voicemailsRouter,
  reportsRouter,
  ...securePaymentRouters,
];

export function createApiApp(): OpenAPIHono<{ Bindings: Env }> {
  const app = new OpenAPIHono<{ Bindings: Env }>({ defaultHook: validationHook });
  app.onError(onError);
  app.notFound(notFound);

  const v1 = createApiRouter();
  // Every /v1 request needs a token, even for paths that do not exist (no probing without one).
  v1.use("*", authenticate);
  for (const router of routers) v1.route("/", router);
  // Each product's own routes (its folder declares them; the registry lists the product).
  for (const product of products.all()) for (const router of product.routes ?? []) v1.route("/", router);
  app.route("/v1", v1);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description:
      "An API token (`ml_…`) or the bootstrap ADMIN_TOKEN. Scopes: admin, agent, readonly, merchant (its own merchant's business only).",
  });
  // Each product's line config, as its owner defines it: LineCreate's config is one of these.
  // Converted with zod's own JSON Schema output, so a product's schema needs no OpenAPI extension.
  for (const product of products.lineProducts())
    app.openAPIRegistry.registerComponent(
      "schemas",
      configComponentName(product.name),
      configJsonSchema(product.configSchema),
    );
  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Meterline admin API",
      version: "1.0.0",
      description:
        "Lines, agents, calls, payments, secure payments, voicemails, reports and API tokens. Errors are RFC 9457 problem+json.",
    },
    // Wherever the Worker mounts this app, the document's paths resolve next to it.
    servers: [{ url: new URL(c.req.url).pathname.replace(/\/openapi\.json$/, "") || "/" }],
    security: [{ bearerAuth: [] }],
  }));
  app.route("/docs", createDocsApp());
  return app;
}
