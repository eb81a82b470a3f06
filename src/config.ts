/**
 * The Worker's configuration, parsed once from env with zod. A missing or malformed value is
 * reported by its name only: secrets must never reach a log or an error body.
 * The bootstrap ADMIN_TOKEN is required until ADMIN_TOKEN_DISABLED is "true"; from then on it is
 * neither needed nor accepted (config carries null), so only scoped API tokens sign in.
 */
import { z } from "zod";

/**
 * What an `Authorization: Bearer` token may look like (RFC 6750 token68): the API's auth check
 * accepts nothing else, so an ADMIN_TOKEN outside it could never log in.
 */
export const BEARER_TOKEN_PATTERN = /^[A-Za-z0-9._~+/-]+=*$/;
const BEARER_TOKEN_RULE =
  "may only contain letters, digits and . _ ~ + / - (optionally followed by trailing =)";

/** The bootstrap token guards everything: long enough that guessing it is hopeless. */
export const ADMIN_TOKEN_MIN_LENGTH = 32;
const ADMIN_TOKEN_LENGTH_RULE = `must be at least ${ADMIN_TOKEN_MIN_LENGTH} characters long`;

const KEY_RULE = "must be 32 random bytes in base64 (openssl rand -base64 32)";

/** Rules of ours that may be shown with a variable's name: they state a rule, never the value. */
const SHOWABLE_RULES = new Set([BEARER_TOKEN_RULE, ADMIN_TOKEN_LENGTH_RULE, KEY_RULE]);

const url = z.string().url();
// `[vars]` may hold a TOML boolean or the string "true"/"false".
const flag = z
  .union([z.boolean(), z.enum(["true", "false"])])
  .default(false)
  .transform((v) => v === true || v === "true");

/** A 256-bit key as base64 (e.g. `openssl rand -base64 32`). */
const key32 = z.string().refine((v) => {
  try {
    return /^[A-Za-z0-9+/]{43}=$/.test(v) && atob(v).length === 32;
  } catch {
    return false;
  }
}, KEY_RULE);

const baseSchema = z.object({
  TELNYX_API_BASE: url,
  TELNYX_API_KEY: z.string().min(1),
  TELNYX_PUBLIC_KEY: z.string().min(1),
  STRIPE_API_BASE: url,
  STRIPE_SECRET_KEY: z.string().min(1),
  STRIPE_WEBHOOK_SECRET: z.string().min(1),
  TURSO_DATABASE_URL: z.string().regex(/^(libsql|https?|wss?):\/\//, "must be a libsql:// or http(s):// URL"),
  // Empty for a local libSQL server, which needs no auth.
  TURSO_AUTH_TOKEN: z.string().default(""),
  ADMIN_TOKEN_DISABLED: flag,
  /** Calling-card PINs: the keyed hash that finds a card, and the key that encrypts PINs for export. */
  PIN_HMAC_KEY: key32,
  PIN_ENCRYPTION_KEY: key32,
});
const adminTokenSchema = z.object({
  ADMIN_TOKEN: z
    .string()
    .min(ADMIN_TOKEN_MIN_LENGTH, ADMIN_TOKEN_LENGTH_RULE)
    .regex(BEARER_TOKEN_PATTERN, BEARER_TOKEN_RULE),
});

export type Config = z.infer<typeof baseSchema> & {
  /** null when ADMIN_TOKEN_DISABLED is "true": the bootstrap token is then refused. */
  ADMIN_TOKEN: string | null;
};

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
  const base = baseSchema.safeParse(env);
  const adminTokenDisabled = base.success
    ? base.data.ADMIN_TOKEN_DISABLED
    : flag.safeParse((env as Record<string, unknown>).ADMIN_TOKEN_DISABLED).data === true;
  const admin = adminTokenDisabled ? null : adminTokenSchema.safeParse(env);
  if (!base.success || admin?.success === false) {
    const issues = [...(base.error?.issues ?? []), ...(admin?.error?.issues ?? [])];
    const nameOf = (issue: z.core.$ZodIssue) => String(issue.path[0] ?? "?");
    const names = [...new Set(issues.map(nameOf))];
    const hints = issues.filter((i) => SHOWABLE_RULES.has(i.message)).map((i) => `${nameOf(i)} ${i.message}`);
    throw new ConfigError(names, [...new Set(hints)]);
  }
  const config: Config = { ...base.data, ADMIN_TOKEN: admin?.data?.ADMIN_TOKEN ?? null };
  cache.set(env, config);
  return config;
}
