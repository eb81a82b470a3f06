/**
 * An advice line's configuration (stored as JSON in lines.config): billing model, prices in integer
 * minor units, wording, what happens when no rep is free, and the card-capture settings. The admin
 * API validates with this schema; the flow parses again so old rows still get today's defaults.
 */
import { z } from "zod";
import { chargeFor, roundUpToIncrement } from "../../billing/rating";
import { securePaymentsConfigSchema } from "../../secure-payments/config";

/** A rule in words for the API's error reply; a missing field is left to the generic "is required". */
const says = (message: string) => ({
  error: (issue: { input?: unknown }) => (issue.input === undefined ? undefined : message),
});
const inSeconds = (min: number, max: number) =>
  says(`must be a whole number of seconds from ${min} to ${max}`);
const seconds = (min: number, max: number) =>
  z.int(inSeconds(min, max)).min(min, inSeconds(min, max)).max(max, inSeconds(min, max));
const MINOR_UNITS = says("must be a whole number of minor units (cents, öre), at least 1");
const minor = z.int(MINOR_UNITS).positive(MINOR_UNITS);
/** Card fields are keypad-only: a voice assistant must never hear a card number. */
const KEYPAD_ONLY =
  "card fields are keypad-only (a voice assistant must never hear card data): use touch_tone, and voiceQuestions for spoken answers";
const entryMode = z
  .enum(["touch_tone", "voice"])
  .default("touch_tone")
  .refine((mode) => mode === "touch_tone", KEYPAD_ONLY);

/** Where in the menu a voice question is asked: after the welcome, after the terms, after the payment. */
const QUESTION_POINTS = ["before_terms", "before_card", "before_rep"] as const;
const voiceQuestion = z
  .object({
    field: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a lowercase name like caller_name (letters, digits, _)"),
    prompt: z.string().min(1).max(500),
    at: z.enum(QUESTION_POINTS).default("before_card"),
  })
  .strict();
const voiceQuestions = z
  .array(voiceQuestion)
  .max(5)
  .default([])
  .superRefine((qs, ctx) => {
    const seen = new Set<string>();
    qs.forEach((q, i) => {
      if (seen.has(q.field))
        ctx.addIssue({ code: "custom", path: [i, "field"], message: "is used by another question" });
      seen.add(q.field);
    });
  });

const common = {
  currency: z.string().regex(/^[a-z]{3}$/, "must be an ISO 4217 code in lowercase, e.g. usd"),
  increment: z
    .object({ firstBlockSec: seconds(1, 3600), stepSec: seconds(1, 3600) })
    .prefault({ firstBlockSec: 60, stepSec: 60 }),
  welcomeText: z.string().min(1).max(1000),
  /** Replaces the generated price explanation; "Press 1 to accept, or 2 to decline." is always added. */
  termsText: z.string().min(1).max(2000).optional(),
  /** Where a caller whose card is declined is transferred; without it they hear a message. */
  customerServiceNumber: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number like +15551234567")
    .optional(),
  noRep: z
    .discriminatedUnion("mode", [
      z.object({ mode: z.literal("queue"), maxWaitSec: seconds(10, 3600), holdMusicUrl: z.url().optional() }),
      z.object({ mode: z.literal("voicemail") }),
    ])
    .prefault({ mode: "voicemail" }),
  ringTimeoutSec: seconds(5, 120).default(20),
  cardSteps: z
    .object({ number: entryMode, expiry: entryMode, street: entryMode, zip: entryMode, cvc: entryMode })
    .prefault({}),
  /** Questions answered by voice (a speech gather), stored with the call; never a card field. */
  voiceQuestions,
  /** Read card fields back for a 1/2 confirmation (the number as its last 4 only, never the CVC). */
  confirmCardFields: z.boolean().default(true),
  zipLength: z.int().min(3).max(10).default(5),
  maxTries: z.int().min(1).max(9).default(3),
  warningSec: seconds(10, 600).default(60),
  voicemailMaxSec: seconds(10, 600).default(120),
  /** The longest a caller may spend before talk starts (terms, card, queue): a toll-free line's bound. */
  maxPreTalkSec: seconds(60, 7200).default(1800),
  /**
   * On a merchant's line, the platform's share of each charge in basis points (250 = 2.5%), taken
   * as Stripe's application fee on the amount actually charged. 0 (default) = "100% payout".
   * Ignored on a line without a merchant (the platform keeps everything there anyway).
   */
  platformFeeBasisPoints: z
    .int(says("must be a whole number of basis points from 0 to 10000 (250 = 2.5%)"))
    .min(0, "must be a whole number of basis points from 0 to 10000 (250 = 2.5%)")
    .max(10_000, "must be a whole number of basis points from 0 to 10000 (250 = 2.5%)")
    .default(0),
  /** Payments the rep takes mid-call, in the line's currency (the meter pauses meanwhile). */
  securePayments: securePaymentsConfigSchema,
};

const perMinute = z.object({
  billing: z.literal("per_minute"),
  ratePerMinute: minor,
  /** Pre-authorised at call start; the talk is cut off when the next increment would exceed it. */
  preauthAmount: minor,
  ...common,
});

const MAX_MINUTES = says("must be a whole number of minutes from 1 to 240");
const flatRate = z.object({
  billing: z.literal("flat_rate"),
  flatFee: minor,
  maxMinutes: z.int(MAX_MINUTES).min(1, MAX_MINUTES).max(240, MAX_MINUTES),
  ...common,
});

export const adviceConfigSchema = z
  .discriminatedUnion("billing", [perMinute, flatRate])
  .superRefine((cfg, ctx) => {
    if (cfg.billing !== "per_minute") return;
    const firstBlock = roundUpToIncrement(1, cfg.increment);
    if (chargeFor(firstBlock, cfg.ratePerMinute) > cfg.preauthAmount) {
      ctx.addIssue({
        code: "custom",
        path: ["preauthAmount"],
        message: "must cover at least the first billing block at this rate",
      });
    }
  });

export type AdviceConfig = z.infer<typeof adviceConfigSchema>;
export type AdviceConfigInput = z.input<typeof adviceConfigSchema>;

/** Parses a stored config; the error names the failing fields only (config holds no secrets, but stays terse). */
export function parseAdviceConfig(raw: unknown): AdviceConfig {
  const parsed = adviceConfigSchema.safeParse(keypadCardSteps(raw));
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))];
  throw new Error(`invalid advice line config: ${fields.join(", ")}`);
}

/**
 * Lines stored before voice card steps were refused keep working: their card steps are read as
 * keypad steps (which they always were). Only the API edge refuses "voice" now.
 */
function keypadCardSteps(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || !("cardSteps" in raw)) return raw;
  const steps = raw.cardSteps;
  if (steps === null || typeof steps !== "object") return raw;
  const keypad = Object.fromEntries(
    Object.entries(steps).map(([k, v]) => [k, v === "voice" ? "touch_tone" : v]),
  );
  return { ...raw, cardSteps: keypad };
}
