/**
 * The paid advice line: a number per adviser, terms, card by keypad, a hold (per minute) or a
 * charge (flat rate), a live rep, metered talk. Its commands beyond the engine's are card payments
 * and the secure payments a rep can take during talk.
 */
import { cardPayments } from "../../card-payments/card-effects";
import { eraseFlow, type ProductModule } from "../../engine/product";
import { securePayments } from "../../secure-payments/secure-payment-effects";
import { adviceFlow } from "./advice-flow";
import { adviceConfigSchema, parseAdviceConfig } from "./config";

export const adviceProduct: ProductModule = {
  name: "advice",
  summary: "Paid advice line: card by keypad, hold or flat fee, a live rep, metered talk.",
  flow: eraseFlow(adviceFlow, parseAdviceConfig),
  configSchema: adviceConfigSchema,
  lineProduct: true,
  capabilities: [cardPayments, securePayments],
};
