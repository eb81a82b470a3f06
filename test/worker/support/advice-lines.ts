/**
 * Advice lines for the end-to-end tests (seeded in the real libSQL database through seed.ts) and
 * readers for what the engine writes there beyond the call record: voicemails and payment rows.
 */
import { eq } from "drizzle-orm";
import { schema } from "../../../src/db/client";
import type { AdviceConfigInput } from "../../../src/products/advice/config";
import { db, seedLine } from "./seed";

/** 1.50 USD a minute, 30.00 USD hold (20 minutes), whole minutes, voicemail when no rep is free. */
export const PER_MINUTE = {
  billing: "per_minute",
  currency: "usd",
  ratePerMinute: 150,
  preauthAmount: 3000,
  welcomeText: "Welcome to Ask Anna, the advice line.",
} satisfies AdviceConfigInput;

/** 25.00 USD for up to 2 minutes. */
export const FLAT_RATE = {
  billing: "flat_rate",
  currency: "usd",
  flatFee: 2500,
  maxMinutes: 2,
  welcomeText: "Welcome to Fixit, paid tech support.",
} satisfies AdviceConfigInput;

type Agent = { name?: string; priority?: number; status?: "available" | "offline" };

export function adviceLine(config: AdviceConfigInput, agents: Agent[] = [{}]) {
  return seedLine("advice", config, agents);
}

export async function voicemailsOf(callId: string) {
  return db().select().from(schema.voicemails).where(eq(schema.voicemails.callId, callId));
}
