/**
 * The demo product: a line that reaches an agent for free. Its config is empty.
 */
import { z } from "zod";
import { eraseFlow, type ProductModule } from "../../engine/product";
import { demoFlow } from "./demo-flow";

export const demoConfigSchema = z.object({}).strict();

export const demoProduct: ProductModule = {
  name: "demo",
  summary: "Reaches an agent for free: the engine's demo.",
  flow: eraseFlow(demoFlow, (raw) => demoConfigSchema.parse(raw ?? {})),
  configSchema: demoConfigSchema,
  lineProduct: true,
  capabilities: [],
};
