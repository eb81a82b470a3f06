/**
 * Every product, one line each. A new product is its folder, a line here, and its migration.
 */
import { createProductRegistry } from "../engine/product-registry";
import { adviceProduct } from "./advice";
import { agentLineProduct } from "./agent-line";
import { callingCardProduct } from "./calling-card";
import { demoProduct } from "./demo";
import { notInServiceProduct } from "./not-in-service";

export const products = createProductRegistry([
  demoProduct,
  adviceProduct,
  agentLineProduct,
  callingCardProduct,
  notInServiceProduct,
]);
