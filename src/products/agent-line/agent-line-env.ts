/**
 * The agent line's own settings from the Worker's environment (parsed here, in the product's
 * folder, not in the engine's config): the address directory service, the billing service the
 * invoices are handed to, and the key customer codes are hashed with. All optional: without a
 * directory URL the embedded (CSV-imported) directory answers; without a billing URL nothing is
 * handed off (sending an invoice only marks it sent).
 */
import { z } from "zod";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional());

const schema = z.object({
  ADDRESS_DIRECTORY_URL: optionalUrl,
  ADDRESS_DIRECTORY_KEY: optionalText,
  BILLING_SERVICE_URL: optionalUrl,
  BILLING_SERVICE_SECRET: optionalText,
  CUSTOMER_CODE_KEY: optionalText,
});

export type AgentLineEnv = z.infer<typeof schema>;

const cache = new WeakMap<object, AgentLineEnv>();

/** Throws naming the variables (never their values) when one is malformed. */
export function agentLineEnv(env: object): AgentLineEnv {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new Error(`invalid agent line settings: ${names.join(", ")}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}

/** HMAC-SHA256 of a customer code under CUSTOMER_CODE_KEY: a leaked table does not give the codes back. */
export async function codeHash(env: AgentLineEnv, code: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(env.CUSTOMER_CODE_KEY ?? "meterline customer code"),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(code));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
