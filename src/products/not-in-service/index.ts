/**
 * The flow for numbers nobody has a line on: not a product anyone creates lines of.
 */
import { z } from "zod";
import { eraseFlow, type ProductModule } from "../../engine/product";
import { notInServiceFlow } from "./flow";

export const notInServiceProduct: ProductModule = {
  name: notInServiceFlow.name,
  summary: "Says the number is not in service, then hangs up.",
  flow: eraseFlow(notInServiceFlow, () => ({})),
  configSchema: z.object({}).strict(),
  lineProduct: false,
  capabilities: [],
};
