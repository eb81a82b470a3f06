/**
 * Where secure-payment records are POSTed (a CRM, as an activity on the caller's record) and
 * the HMAC secret they are signed with, from the Worker's environment. Parsed here, in the
 * capability's folder, not in the engine's config. Both optional: without them nothing is sent.
 */
import { z } from "zod";

const optionalUrl = z.preprocess((v) => (v === "" ? undefined : v), z.url().optional());
const optionalText = z.preprocess((v) => (v === "" ? undefined : v), z.string().min(1).optional());

const schema = z.object({ CRM_WEBHOOK_URL: optionalUrl, CRM_WEBHOOK_SECRET: optionalText });

export type CrmEnv = z.infer<typeof schema>;

/** The name of the secret the WebhookDelivery object signs with (it reads the value itself). */
export const CRM_SECRET_NAME = "CRM_WEBHOOK_SECRET";

const cache = new WeakMap<object, CrmEnv>();

/** Throws naming the variables (never their values) when one is malformed. */
export function crmEnv(env: object): CrmEnv {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((i) => String(i.path[0])))];
    throw new Error(`invalid CRM settings: ${names.join(", ")}`);
  }
  cache.set(env, parsed.data);
  return parsed.data;
}
