/**
 * The demo line's config: nothing of its own but the secure-payment settings every line with an
 * agent has. Its calls are free; a secure payment on it is in US dollars.
 */
import { z } from "zod";
import { securePaymentsConfigSchema } from "../../secure-payments/config";

export const DEMO_CURRENCY = "usd";

export const demoConfigSchema = z.object({ securePayments: securePaymentsConfigSchema }).strict();

export type DemoConfig = z.infer<typeof demoConfigSchema>;
