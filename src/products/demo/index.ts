/**
 * The demo product: a line that reaches an agent for free, where the agent can take a secure
 * payment mid-call.
 */
import { cardPayments } from "../../card-payments/card-effects";
import { eraseFlow, type ProductModule } from "../../engine/product";
import { securePayments } from "../../secure-payments/secure-payment-effects";
import { demoConfigSchema } from "./config";
import { demoFlow } from "./demo-flow";

export { demoConfigSchema } from "./config";

export const demoProduct: ProductModule = {
  name: "demo",
  summary: "Reaches an agent for free: the engine's demo.",
  flow: eraseFlow(demoFlow, (raw) => demoConfigSchema.parse(raw ?? {})),
  configSchema: demoConfigSchema,
  lineProduct: true,
  capabilities: [cardPayments, securePayments],
};
