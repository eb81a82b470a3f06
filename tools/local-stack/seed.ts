/**
 * Idempotent demo data for the local stack: a demo line, a per-minute and a flat-rate advice line,
 * an invoiced agent line with its customers (seed-agent-line.ts), reps whose (fictional)
 * numbers the Telnyx stand-in answers, the demo agent's console token, and a calling-card access
 * number with its cards, plan and rates (card-seed.ts). Each advice line belongs to a merchant paid
 * directly (its Stripe account is preset, onboarded, in the Stripe stand-in; with a real Stripe
 * those accounts do not exist). Fixed ids + ON CONFLICT DO
 * NOTHING, so a second `npm start` on the same database changes nothing.
 */
import type { Client } from "@libsql/client";
import { createHash } from "node:crypto";
import type { AdviceConfigInput } from "../../src/products/advice/config";
import type { CardConfigInput } from "../../src/products/calling-card/config";
import { DEMO_DESTINATIONS, seedCardDemo } from "./card-seed";
import type { PresetAccount } from "../stripe-standin/connect";
import type { AgentPolicy } from "../telnyx-standin/types";
import { AGENT_LINE, agentLineStatements } from "./seed-agent-line";

export const DEMO_ADMIN_TOKEN = "ml_local_demo_admin_token_do_not_deploy";
/** The demo line agent's console token (scope agent, tied to ag_demo_1): local demo only. */
export const DEMO_AGENT_TOKEN = "ml_local_demo_agent_token_do_not_deploy";
export const DEMO_AGENT_ID = "ag_demo_1";
/** The local stack's PIN keys (fixed, so seeded demo PINs work across restarts): never deploy these. */
export const LOCAL_PIN_HMAC_KEY = "bG9jYWwtZGVtby1waW4taG1hYy1rZXktZG8tbm90LXU=";
export const LOCAL_PIN_ENCRYPTION_KEY = "bG9jYWwtZGVtby1waW4tYWVzLWtleS1kby1ub3QtdXM=";

export interface DemoLine {
  id: string;
  number: string;
  name: string;
  product: "demo" | "advice" | "agent_line" | "calling_card";
  config: Record<string, unknown>;
  agents: { id: string; name: string; destination: string; priority: number }[];
}

export interface DemoData {
  lines: DemoLine[];
  agentPolicies: Record<string, AgentPolicy>;
  /** The demo merchants' Stripe accounts, for the Stripe stand-in to have from the start. */
  merchantAccounts: PresetAccount[];
}

/** Two advisers paid directly, one advice line each (fixed Stripe account ids). */
export const DEMO_MERCHANTS = [
  { id: "mer_demo_ada", name: "Dr. Ada Advice LLC", accountId: "acct_demo_ada", lineId: "ln_advice_minute" },
  { id: "mer_demo_tess", name: "Tech Rescue Inc", accountId: "acct_demo_tess", lineId: "ln_advice_flat" },
] as const;

const perMinute: AdviceConfigInput = {
  billing: "per_minute",
  currency: "usd",
  ratePerMinute: 199,
  preauthAmount: 2000,
  welcomeText: "Welcome to Ask Dr. Ada, the career advice line.",
  noRep: { mode: "queue", maxWaitSec: 60 },
};

const flatRate: AdviceConfigInput = {
  billing: "flat_rate",
  currency: "usd",
  flatFee: 2500,
  maxMinutes: 30,
  welcomeText: "Welcome to Tech Rescue, paid support by the half hour.",
  customerServiceNumber: "+15550109999",
  noRep: { mode: "voicemail" },
};

const callingCard: CardConfigInput = {
  mode: "two_stage",
  welcomeText: "Welcome to Meterline calling cards.",
};

export const DEMO_LINES: DemoLine[] = [
  {
    id: "ln_demo",
    number: "+15550100001",
    name: "Engine demo",
    product: "demo",
    config: {},
    agents: [{ id: "ag_demo_1", name: "Dana (demo)", destination: "+15550200001", priority: 1 }],
  },
  {
    id: "ln_advice_minute",
    number: "+18005550100",
    name: "Ask Dr. Ada (per minute)",
    product: "advice",
    config: perMinute,
    agents: [
      { id: "ag_ada", name: "Dr. Ada", destination: "+15550200101", priority: 1 },
      { id: "ag_ben", name: "Ben", destination: "+15550200102", priority: 2 },
    ],
  },
  {
    id: "ln_advice_flat",
    number: "+18005550101",
    name: "Tech Rescue (flat rate)",
    product: "advice",
    config: flatRate,
    agents: [{ id: "ag_tess", name: "Tess", destination: "+15550200201", priority: 1 }],
  },
  {
    id: "ln_calling_card",
    number: "+18005550300",
    name: "Meterline calling cards (two-stage access number)",
    product: "calling_card",
    config: callingCard,
    agents: [],
  },
];

const sha256Hex = (text: string): string => createHash("sha256").update(text).digest("hex");

export async function seedDemoData(client: Client): Promise<DemoData> {
  // One clock for both stamps: left to the database's default, created_at came from its clock a
  // moment after this process's updated_at, so demo rows looked updated before they were created.
  const now = Date.now();
  const statements = DEMO_LINES.flatMap((line) => [
    {
      sql: `INSERT INTO lines (id, number, name, product, voice, config, active, created_at, updated_at)
            VALUES (?, ?, ?, ?, 'female', ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
      args: [line.id, line.number, line.name, line.product, JSON.stringify(line.config), now, now],
    },
    ...line.agents.map((a) => ({
      sql: `INSERT INTO agents (id, line_id, name, destination, priority, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'available', ?, ?) ON CONFLICT DO NOTHING`,
      args: [a.id, line.id, a.name, a.destination, a.priority, now, now],
    })),
  ]);
  await client.batch(statements, "write");
  await client.batch(
    DEMO_MERCHANTS.flatMap((m) => [
      {
        sql: `INSERT INTO merchants (id, name, country, stripe_account_id, details_submitted, charges_enabled,
                payouts_enabled, created_at, updated_at)
              VALUES (?, ?, 'US', ?, 1, 1, 1, ?, ?) ON CONFLICT DO NOTHING`,
        args: [m.id, m.name, m.accountId, now, now],
      },
      // Also on a database seeded before merchants existed; a line moved on purpose stays moved.
      {
        sql: `UPDATE lines SET merchant_id = ? WHERE id = ? AND merchant_id IS NULL`,
        args: [m.id, m.lineId],
      },
    ]),
    "write",
  );
  await client.batch(await agentLineStatements(now), "write");
  await client.execute({
    sql: `INSERT INTO api_tokens (id, name, token_hash, prefix, scopes, agent_id, created_at)
          VALUES ('tok_local_demo_agent', 'Demo agent console (local)', ?, ?, '["agent"]', ?, ?) ON CONFLICT DO NOTHING`,
    args: [sha256Hex(DEMO_AGENT_TOKEN), DEMO_AGENT_TOKEN.slice(0, 9), DEMO_AGENT_ID, now],
  });
  await seedCardDemo(client, { hmac: LOCAL_PIN_HMAC_KEY, aes: LOCAL_PIN_ENCRYPTION_KEY }, now);
  const agentPolicies: Record<string, AgentPolicy> = { ...DEMO_DESTINATIONS };
  // The demo's rep stays 10 minutes, long enough for the caller to key a card for a secure payment
  // the agent asks for in the console; advice reps talk for 90 s, long enough to hear a minute tick,
  // unless the caller hangs up first.
  for (const line of DEMO_LINES)
    for (const a of line.agents)
      agentPolicies[a.destination] = {
        kind: "answer",
        ringMs: 2000,
        hangupAfterMs: line.product === "demo" ? 600_000 : 90_000,
      };
  // Agent-line agents talk for 5 minutes: long enough that a caller with little credit hears the
  // warning and is cut off at the limit. Customer service answers transfers.
  for (const a of AGENT_LINE.agents)
    agentPolicies[a.destination] = { kind: "answer", ringMs: 2000, hangupAfterMs: 300_000 };
  agentPolicies["+4686001099"] = { kind: "answer", ringMs: 1000, hangupAfterMs: 20_000 };
  const agentLine: DemoLine = { ...AGENT_LINE, product: "agent_line", config: {} };
  const merchantAccounts = DEMO_MERCHANTS.map((m) => ({
    id: m.accountId,
    name: m.name,
    charges_enabled: true,
    payouts_enabled: true,
    details_submitted: true,
  }));
  return { lines: [...DEMO_LINES, agentLine], agentPolicies, merchantAccounts };
}
