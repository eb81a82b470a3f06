/**
 * The agent-line rules that apply to a customer outside a call (sending, paying, crediting an
 * invoice): those of the line they came in on, or the product's defaults when they were created
 * through the API without one.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { lines } from "../../db/schema";
import { agentLineConfigSchema, parseAgentLineConfig, type AgentLineConfig } from "./config";

/** The schema's defaults (the welcome text is required but never spoken from here). */
export const DEFAULT_RULES: AgentLineConfig = agentLineConfigSchema.parse({ welcomeText: "-" });

export async function rulesForLine(db: Pick<Db, "select">, lineId: string | null): Promise<AgentLineConfig> {
  if (!lineId) return DEFAULT_RULES;
  const [line] = await db
    .select({ product: lines.product, config: lines.config })
    .from(lines)
    .where(eq(lines.id, lineId));
  return line?.product === "agent_line" ? parseAgentLineConfig(line.config) : DEFAULT_RULES;
}

/** The limit after a paid invoice: raised by the rule, never past its cap, never lowered. */
export function raisedLimit(current: number, rules: Pick<AgentLineConfig, "creditRaise">): number {
  const raised = Math.min(rules.creditRaise.cap, current + rules.creditRaise.perPaidInvoice);
  return Math.max(current, raised);
}
