/**
 * The Worker's configuration, parsed once from env with zod. A missing or malformed value is
 * reported by its name only: secrets must never reach a log or an error body.
 */
import { z } from "zod";

/**
 * What an `Authorization: Bearer` token may look like (RFC 6750 token68): the API's auth check
 * accepts nothing else, so an ADMIN_TOKEN outside it could never log in.
 */
export const BEARER_TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]+=*$/;
const BEARER_TOKEN_RULE =
  "may only contain letters, digits and . _ ~ + / - (optionally followed by trailing =)";

const url = z.string().url();
const configSchema = z.object({
  TELNYX_API_BASE: url,
  TELNYX_API_KEY: z.string().min(1),
  TELNYX_PUBLIC_KEY: z.string().min(1),
  STRIPE_API_BASE: url,
  STRIPE_SECRET_KEY: z.string().min(1),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  TURSO_DATABASE_URL: z.string().regex(/^(libsql|https?|wss?):\/\//, "must be a libsql:// or http(s):// URL"),
  // Empty for a local libSQL server, which needs no auth.
  TURSO_AUTH_TOKEN: z.string().default(""),
  ADMIN_TOKEN: z.string().min(16).regex(BEARER_TOKEN_PATTERN, BEARER_TOKEN_RULE),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  /** `hints` are rules of ours (never a value), e.g. "ADMIN_TOKEN may only contain …". */
  constructor(
    readonly names: string[],
    readonly hints: string[] = [],
  ) {
    super(`Invalid or missing configuration: ${[names.join(", "), ...hints].join("; ")}`);
    this.name = "ConfigError";
  }
}

const cache = new WeakMap<object, Config>();

/** Parses env once per env object; throws ConfigError naming (never showing) the bad values. */
export function loadConfig(env: object): Config {
  const cached = cache.get(env);
  if (cached) return cached;
  const parsed = configSchema.safeParse(env);
  if (!parsed.success) {
    const nameOf = (issue: z.core.$ZodIssue) => String(issue.path[0] ?? "?");
    const names = [...new Set(parsed.error.issues.map(nameOf))];
    // Only our own regex messages are shown: they state a rule and contain no part of the value.
    const hints = parsed.error.issues
      .filter((i) => i.code === "invalid_format" && i.format === "regex")
      .map((i) => `${nameOf(i)} ${i.message}`);
    throw new ConfigError(names, [...new Set(hints)]);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
