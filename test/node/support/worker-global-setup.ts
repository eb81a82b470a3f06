/**
 * Node-side setup for the workerd tests: the real local libSQL server (in memory) with the real
 * migrations applied, the Stripe stand-in, and a Telnyx webhook signing key pair. Each value reaches
 * the Worker as a binding (vitest.config.ts) or the tests through inject().
 */
import { createClient } from "@libsql/client";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../../src/db/migrate";
import { loadMigrations } from "../../../tools/db/load-migrations";
import { startLibsqlServer } from "../../../tools/libsql-server/server";
import { startStripeStandin } from "../../../tools/stripe-standin/server";

declare module "vitest" {
  interface ProvidedContext {
    telnyxPublicKey: string;
    telnyxPrivateKey: string;
    libsqlUrl: string;
    stripeUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const db = await startLibsqlServer({ file: ":memory:", port: 0 });
  const client = createClient({ url: db.url });
  await applyMigrations(client, await loadMigrations());
  client.close();
  const stripe = await startStripeStandin({ port: 0 });

  const keys = await crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]);
  const rawPublic = Buffer.from(await crypto.subtle.exportKey("raw", keys.publicKey)).toString("base64");
  const pkcs8 = Buffer.from(await crypto.subtle.exportKey("pkcs8", keys.privateKey)).toString("base64");

  project.provide("telnyxPublicKey", rawPublic);
  project.provide("telnyxPrivateKey", pkcs8);
  project.provide("libsqlUrl", db.url);
  project.provide("stripeUrl", stripe.url);

  return async () => {
    await stripe.close();
    await db.close();
  };
}
