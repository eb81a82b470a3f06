/**
 * The embedded local stack, shared by `npm start`, the end-to-end test and the bench: local libSQL
 * server (file or memory) with migrations and demo data, Stripe and Telnyx stand-ins (unless real
 * peers are configured in the environment), the billing-service and CRM stand-ins, and `wrangler
 * dev` wired to all of them.
 */
import { createClient } from "@libsql/client";
import { mkdir } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { applyMigrations } from "../../src/db/migrate";
import { loadMigrations } from "../db/load-migrations";
import { startBillingStandin } from "../billing-standin/server";
import { startCrmStandin } from "../crm-standin/server";
import { startLibsqlServer } from "../libsql-server/server";
import { startStripeStandin } from "../stripe-standin/server";
import { loadOrCreateKeyFile } from "../telnyx-standin/signing-key";
import { startTelnyxStandin } from "../telnyx-standin/server";
import type { AgentPolicy, StandIn } from "../telnyx-standin/types";
import {
  seedDemoData,
  DEMO_ADMIN_TOKEN,
  DEMO_AGENT_TOKEN,
  LOCAL_PIN_ENCRYPTION_KEY,
  LOCAL_PIN_HMAC_KEY,
  type DemoData,
} from "./seed";
import { LOCAL_CUSTOMER_CODE_KEY } from "./seed-agent-line";
import { startWranglerDev } from "./wrangler-dev";

export interface LocalStackOptions {
  root: string;
  dataDir: string;
  /** Worker port; 0 picks a free one. */
  port: number;
  /** ":memory:" for throwaway stacks (tests, bench). */
  dbFile: string;
  telnyxTimeScale?: number;
  agents?: Record<string, AgentPolicy>;
  /** Real peers, e.g. from the environment; the stand-in is not started for a configured peer. */
  telnyx?: { apiBase: string; publicKey: string; apiKey: string };
  stripe?: { apiBase: string; secretKey: string; webhookSecret: string };
  onWorkerLine?: (line: string) => void;
}

export interface LocalStack {
  workerUrl: string;
  /** wrangler's and workerd's process group. */
  workerProcessGroup: number;
  libsqlUrl: string;
  stripeUrl: string;
  telnyxUrl: string;
  /** The billing-service stand-in agent-line invoices are handed to. */
  billingUrl: string;
  /** The CRM stand-in secure-payment records are posted to (its page lists them). */
  crmUrl: string;
  telnyx: StandIn | null;
  adminToken: string;
  /** The demo line agent's token, for the agent console at `${workerUrl}/console`. */
  agentToken: string;
  demo: DemoData;
  /** Stops every part, last started first; `onStopped` hears each one's name as it goes. */
  stop(onStopped?: (part: StoppedPart) => void): Promise<void>;
}

/** A part of the stack that stop() ended, e.g. "wrangler dev (Worker at http://127.0.0.1:8931)". */
export type StoppedPart = { name: string; error?: unknown };

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : 0));
    });
  });
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  await mkdir(opts.dataDir, { recursive: true });
  const parts: { name: string; stop: () => Promise<void> }[] = [];
  const stop = async (onStopped?: (part: StoppedPart) => void) => {
    for (const part of parts.splice(0).reverse()) {
      const error = await part.stop().then(
        () => undefined,
        (err: unknown) => err ?? new Error("stop failed"),
      );
      onStopped?.(error === undefined ? { name: part.name } : { name: part.name, error });
    }
  };
  try {
    const db = await startLibsqlServer({ file: opts.dbFile, port: 0 });
    const dbName = opts.dbFile === ":memory:" ? "in memory" : path.relative(process.cwd(), opts.dbFile);
    parts.push({ name: `libSQL server (${dbName})`, stop: () => db.close() });
    const client = createClient({ url: db.url });
    await applyMigrations(client, await loadMigrations(path.join(opts.root, "migrations")));
    const demo = await seedDemoData(client);
    client.close();

    const port = opts.port || (await freePort());
    const webhookSecret = opts.stripe?.webhookSecret ?? "whsec_local_meterline";
    let stripeUrl = opts.stripe?.apiBase;
    if (!stripeUrl) {
      const stripe = await startStripeStandin({
        port: 0,
        webhookUrl: `http://127.0.0.1:${port}/webhooks/stripe`,
        webhookSecret,
        accounts: demo.merchantAccounts,
      });
      parts.push({ name: `Stripe stand-in (${stripe.url})`, stop: () => stripe.close() });
      stripeUrl = stripe.url;
    }
    let telnyx: StandIn | null = null;
    let telnyxUrl = opts.telnyx?.apiBase;
    let publicKey = opts.telnyx?.publicKey;
    if (!telnyxUrl || !publicKey) {
      telnyx = await startTelnyxStandin({
        webhookUrl: `http://127.0.0.1:${port}/webhooks/telnyx`,
        port: 0,
        timeScale: opts.telnyxTimeScale ?? 1,
        agents: { ...demo.agentPolicies, ...opts.agents },
        privateKey: loadOrCreateKeyFile(path.join(opts.dataDir, "telnyx-standin-key.pem")),
      });
      const standin = telnyx;
      parts.push({ name: `Telnyx stand-in (${standin.url})`, stop: () => standin.close() });
      telnyxUrl = telnyx.url;
      publicKey = telnyx.publicKeyBase64;
    }

    // The agent line's billing service: hand-offs are signed with this local secret both ways.
    const billingSecret = "bss_local_meterline";
    const billing = await startBillingStandin({
      secret: billingSecret,
      callbackUrl: `http://127.0.0.1:${port}/webhooks/billing`,
    });
    parts.push({ name: `billing-service stand-in (${billing.url})`, stop: () => billing.close() });

    // Secure-payment records go to the CRM stand-in, signed with this local secret.
    const crmSecret = "crm_local_meterline";
    const crm = await startCrmStandin({ secret: crmSecret });
    parts.push({ name: `CRM stand-in (${crm.url})`, stop: () => crm.close() });

    const worker = await startWranglerDev({
      root: opts.root,
      port,
      dataDir: opts.dataDir,
      onLine: opts.onWorkerLine,
      vars: {
        TELNYX_API_BASE: telnyxUrl,
        TELNYX_API_KEY: opts.telnyx?.apiKey ?? "KEY_local_standin",
        TELNYX_PUBLIC_KEY: publicKey,
        STRIPE_API_BASE: stripeUrl,
        STRIPE_SECRET_KEY: opts.stripe?.secretKey ?? "sk_test_local_meterline",
        STRIPE_WEBHOOK_SECRET: webhookSecret,
        TURSO_DATABASE_URL: db.url,
        TURSO_AUTH_TOKEN: "",
        ADMIN_TOKEN: DEMO_ADMIN_TOKEN,
        PIN_HMAC_KEY: LOCAL_PIN_HMAC_KEY,
        PIN_ENCRYPTION_KEY: LOCAL_PIN_ENCRYPTION_KEY,
      },
      optionalVars: {
        BILLING_SERVICE_URL: billing.url,
        BILLING_SERVICE_SECRET: billingSecret,
        CUSTOMER_CODE_KEY: LOCAL_CUSTOMER_CODE_KEY,
        CRM_WEBHOOK_URL: crm.url,
        CRM_WEBHOOK_SECRET: crmSecret,
      },
    });
    parts.push({ name: `wrangler dev (Worker at ${worker.url})`, stop: () => worker.stop() });
    return {
      workerUrl: worker.url,
      workerProcessGroup: worker.processGroup,
      libsqlUrl: db.url,
      stripeUrl,
      telnyxUrl,
      billingUrl: billing.url,
      crmUrl: crm.url,
      telnyx,
      adminToken: DEMO_ADMIN_TOKEN,
      agentToken: DEMO_AGENT_TOKEN,
      demo,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
