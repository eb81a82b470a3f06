/**
 * An agent line's configuration (lines.config): currency and country, wording, the billing
 * increment, the credit rules (a new customer's starting credit, the raise per paid invoice and
 * its cap, an optional overdraft), how credit is reserved during a call, customer codes and their
 * lockout, agents, and the invoice series. Amounts in öre. Validated at the API edge.
 */
import { z } from "zod";
import { securePaymentsConfigSchema } from "../../secure-payments/config";

const seconds = (min: number, max: number) => z.int().min(min).max(max);
const ore = z.int().min(0);

export const agentLineConfigSchema = z
  .object({
    currency: z
      .string()
      .regex(/^[a-z]{3}$/, "an ISO 4217 code in lowercase, e.g. sek")
      .default("sek"),
    /** Numbers callers key in or the directory holds are read as national numbers of this country. */
    country: z.enum(["SE", "NO", "DK", "FI", "DE", "GB", "US"]).default("SE"),
    welcomeText: z.string().min(1).max(1000),
    increment: z
      .object({ firstBlockSec: seconds(1, 3600), stepSec: seconds(1, 3600) })
      .prefault({ firstBlockSec: 60, stepSec: 60 }),
    /** The price list a new customer is linked to; the register's basic list when not set. */
    basicPriceListId: z.string().min(1).max(64).optional(),
    /** The credit a billable caller found in the directory starts with (1000 SEK). */
    startingCredit: ore.default(100_000),
    creditRaise: z.object({ perPaidInvoice: ore.default(50_000), cap: ore.default(500_000) }).prefault({}),
    /** Talk allowed past the credit limit, öre; 0 cuts the call at the limit. */
    overdraft: ore.default(0),
    /** Credit is reserved this many minutes at a time while talk goes on. */
    reserveBlockMinutes: z.int().min(1).max(120).default(10),
    warningSec: seconds(10, 600).default(60),
    ringTimeoutSec: seconds(5, 120).default(20),
    queue: z.object({ maxWaitSec: seconds(10, 3600), holdMusicUrl: z.url().optional() }).optional(),
    /** Unknown, secret or incomplete callers without a code go here (a transfer); else a message. */
    customerServiceNumber: z
      .string()
      .regex(/^\+[1-9]\d{6,14}$/, "an E.164 number, e.g. +4681234567")
      .optional(),
    codeLength: z.int().min(4).max(12).default(6),
    codeTries: z.int().min(1).max(5).default(3),
    lockout: z
      .object({
        failures: z.int().min(1).max(20).default(5),
        windowHours: z.int().min(1).max(168).default(24),
        lockHours: z.int().min(1).max(168).default(24),
      })
      .prefault({}),
    invoiceSeries: z
      .string()
      .regex(/^[A-Z]{1,4}$/, "1–4 capital letters, e.g. A")
      .default("A"),
    dueDays: z.int().min(1).max(120).default(30),
    maxPreTalkSec: seconds(60, 7200).default(1800),
    /** Payments the agent takes mid-call (in öre, in the line's currency). */
    securePayments: securePaymentsConfigSchema,
  })
  .strict();

export type AgentLineConfig = z.infer<typeof agentLineConfigSchema>;
export type AgentLineConfigInput = z.input<typeof agentLineConfigSchema>;

export function parseAgentLineConfig(raw: unknown): AgentLineConfig {
  const parsed = agentLineConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))];
  throw new Error(`invalid agent line config: ${fields.join(", ")}`);
}
