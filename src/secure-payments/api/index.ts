/**
 * The secure-payments capability's API routes, mounted under /api/v1 with the engine's own (the
 * capability serves every product with an agent, so it is not one product's routes).
 */
import { paymentRequestsRouter } from "./payment-requests";
import { securePaymentsRouter } from "./secure-payments";

export const securePaymentRouters = [paymentRequestsRouter, securePaymentsRouter];
