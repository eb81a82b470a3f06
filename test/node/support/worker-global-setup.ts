/**
 * Node-side setup for the workerd tests: the real local libSQL server (in memory) with the real
 * migrations applied, the Stripe, billing-service and CRM stand-ins, and a Telnyx webhook signing key pair. Each value reaches
 * the Worker as a binding (vitest.config.ts) or the tests through inject().
 */
import { createClient } from "@libsql/client";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../../src/db/migrate";
import { loadMigrations } from "../../../tools/db/load-migrations";
import { startLibsqlServer } from "../../../tools/libsql-server/server";
import { startStripeStandin } from "../../../tools/stripe-standin/server";
import { startBillingStandin } from "../../../tools/billing-standin/server";
import { startCrmStandin } from "../../../tools/crm-standin/server";

/** The agent line's billing service signs both ways with this (a test value, pinned). */
export const TEST_BILLING_SECRET = "bss_test_meterline";
/** Secure-payment records are signed for the CRM with this (a test value, pinned). */
export const TEST_CRM_SECRET = "crm_test_meterline";

declare module "vitest" {
  interface ProvidedContext {
    telnyxPublicKey: string;
    telnyxPrivateKey: string;
    libsqlUrl: string;
    stripeUrl: string;
    billingUrl: string;
    crmUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const db = await startLibsqlServer({ file: ":memory:", port: 0 });
  const client = createClient({ url: db.url });
  await applyMigrations(client, await loadMigrations());
  client.close();
  const stripe = await startStripeStandin({ port: 0 });
  // Callbacks into the Worker under test are built inside workerd; the stand-in only receives.
  const billing = await startBillingStandin({ secret: TEST_BILLING_SECRET });
  const crm = await startCrmStandin({ secret: TEST_CRM_SECRET });

  const keys = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const rawPublic = Buffer.from(await crypto.subtle.exportKey("raw", keys.publicKey)).toString("base64");
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");

  project.provide("telnyxPublicKey", rawPublic);
  project.provide("telnyxPrivateKey", pkcs8);
  project.provide("libsqlUrl", db.url);
  project.provide("stripeUrl", stripe.url);
  project.provide("billingUrl", billing.url);
  project.provide("crmUrl", crm.url);

  return async () => {
    await stripe.close();
    await billing.close();
    await crm.close();
    await db.close();
  };
}
