/**
 * A line's secure-payment settings, one block every product with an agent adds to its config
 * (`securePayments`): on or off, the largest amount an agent may ask for, and the ZIP length the
 * caller keys. Defaults apply to lines stored before the block existed. What the machine is given
 * (SecurePaymentSettings) adds the line's currency, which each product knows in its own way.
 */
import { z } from "zod";

export const SECURE_PAYMENT_MODES = ["isolated", "assisted"] as const;
export type SecurePaymentMode = (typeof SECURE_PAYMENT_MODES)[number];

/** 10,000.00 in a two-decimal currency: a high default, as each line sets its own. */
export const DEFAULT_MAX_AMOUNT = 1_000_000;

export const securePaymentsConfigSchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Integer minor units; a request above it is refused. */
    maxAmount: z.int().positive().max(100_000_000).default(DEFAULT_MAX_AMOUNT),
    zipLength: z.int().min(3).max(10).default(5),
    /**
     * isolated: the agent waits in a private queue while the caller keys the card. assisted: the
     * agent stays on the line (keys muted on the bridge) and asks for each field from the console.
     */
    mode: z.enum(SECURE_PAYMENT_MODES).default("isolated"),
  })
  .prefault({});

export type SecurePaymentsConfig = z.infer<typeof securePaymentsConfigSchema>;

export interface SecurePaymentSettings extends SecurePaymentsConfig {
  /** The line's currency (lowercase ISO 4217): requests must be in it. */
  currency: string;
  /** The platform's fee on a charge to the line's merchant (basis points; 0 = "100% payout"). */
  platformFeeBasisPoints: number;
}

export const settingsFor = (
  config: SecurePaymentsConfig | undefined,
  currency: string,
  platformFeeBasisPoints = 0,
): SecurePaymentSettings => ({
  ...(config ?? securePaymentsConfigSchema.parse(undefined)),
  currency: currency.toLowerCase(),
  platformFeeBasisPoints,
});
