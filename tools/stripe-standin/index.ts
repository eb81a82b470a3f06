/** The Stripe stand-in's public surface, for tests and tools/start.ts. */
export { startStripeStandin, STANDIN_API_VERSION } from "./server";
export type {
  AccountFlags,
  FailureRule,
  StandinRequest,
  StripeStandin,
  StripeStandinOptions,
} from "./server";
export type { PaymentIntentObject } from "./objects";
export type { PresetAccount } from "./connect";
export { signStripePayload, type StripeEvent, type WebhookDelivery } from "./webhooks";
