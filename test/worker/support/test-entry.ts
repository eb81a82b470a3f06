/**
 * The Worker the workerd tests run: the real one, plus a skeleton product registered the way any
 * product is (one line). Everything else is src/index.ts unchanged.
 */
import { products } from "../../../src/products/registry";
import { skeletonProduct } from "./skeleton/skeleton-product";

products.register(skeletonProduct);

export {
  default,
  AuthThrottle,
  CallSession,
  DeadLetters,
  LineSession,
  WebhookDelivery,
  PinBatchJob,
} from "../../../src/index";
