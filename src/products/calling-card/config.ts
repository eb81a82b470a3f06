/**
 * A calling-card access line's configuration (stored as JSON in lines.config): how callers are
 * recognised (two-stage PIN, pinless by caller number, or a DID bound to one destination), the dial
 * plan for national and international forms, the "next call" key, wording and voice, PIN tries and
 * the simultaneous-call limit. Validated at the API edge; parsed again when a call starts.
 */
import { z } from "zod";

const E164 = z.string().regex(/^\+[1-9]\d{6,14}$/, "must be an E.164 number like +442079460000");
const digits = (what: string) => z.string().regex(/^\d{1,4}$/, `must be ${what}: 1 to 4 digits`);

export const cardConfigSchema = z
  .object({
    /**
     * two_stage: access number → PIN → destination. pinless: the caller's number (registered to a
     * card) stands for the PIN, then the destination. direct: the line dials `destination`.
     */
    mode: z.enum(["two_stage", "pinless", "direct"]).default("two_stage"),
    /** The fixed destination of a direct (DID) line. */
    destination: E164.optional(),
    /** A pinless or direct caller whose number is not registered is asked for a PIN (else refused). */
    pinFallback: z.boolean().default(true),
    dialPlan: z
      .object({
        countryCode: digits("a country calling code").default("1"),
        internationalPrefixes: z.array(digits("an international prefix")).max(4).default(["011", "00"]),
        trunkPrefix: z
          .string()
          .regex(/^\d{0,2}$/, "must be 0 to 2 digits")
          .default("1"),
      })
      .prefault({}),
    /** Pressed during a call: ends it and asks for the next number, without the PIN again. */
    nextCallKey: z
      .string()
      .regex(/^[0-9*#]{1,3}$/, "must be 1 to 3 keys of 0-9, * and #")
      .default("##"),
    welcomeText: z.string().min(1).max(500).default("Welcome."),
    /** PIN entries per call (wrong length, unknown PIN, timeouts), within the 24-hour lockout. */
    pinTries: z.int().min(1).max(5).default(3),
    destinationTries: z.int().min(1).max(9).default(3),
    maxSimultaneousCalls: z.int().min(1).max(10).default(1),
    /** Upper bound of one call (Telnyx's own ceiling is 240 minutes). */
    maxCallMinutes: z.int().min(1).max(240).default(240),
    ringTimeoutSec: z.int().min(5).max(120).default(30),
    warningSec: z.int().min(10).max(600).default(60),
  })
  .strict()
  .superRefine((cfg, ctx) => {
    if (cfg.mode === "direct" && !cfg.destination)
      ctx.addIssue({ code: "custom", path: ["destination"], message: "is required for a direct line" });
  });

export type CardConfig = z.infer<typeof cardConfigSchema>;
export type CardConfigInput = z.input<typeof cardConfigSchema>;

export function parseCardConfig(raw: unknown): CardConfig {
  const parsed = cardConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(root)"))];
  throw new Error(`invalid calling card line config: ${fields.join(", ")}`);
}
