/**
 * The Worker's configuration, parsed once from env with zod. A missing or malformed value is
 * reported by its name only: secrets must never reach a log or an error body.
 */
import { z } from "zod";

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
  ADMIN_TOKEN: z.string().min(16),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly names: string[]) {
    super(`Invalid or missing configuration: ${names.join(", ")}`);
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
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "?")))];
    throw new ConfigError(names);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
