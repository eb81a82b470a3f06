/**
 * Ready-made agent-line calls for tests: a Stockholm line, a customer as the register would
 * answer for them, and the usual steps (identified, credit reserved, an agent connected). Pure,
 * built on CallScript.
 */
import { CallScript, ofType } from "../../../src/ivr/call-script";
import { legId, type LineInfo } from "../../../src/ivr/types";
import type {
  AgentLineFlowCommand,
  AgentLineOwnEvent,
  AgentLineState,
} from "../../../src/products/agent-line/agent-line-state";
import { agentLineFlow } from "../../../src/products/agent-line/agent-line-flow";
import {
  parseAgentLineConfig,
  type AgentLineConfig,
  type AgentLineConfigInput,
} from "../../../src/products/agent-line/config";
import type { CustomerView, Identified } from "../../../src/products/agent-line/vocabulary";

export type AgentLineScript = CallScript<
  AgentLineState,
  AgentLineConfig,
  AgentLineFlowCommand,
  AgentLineOwnEvent
>;

export const agentLeg = (n = 1) => legId(`leg-agent-${n}`);

export function agentLine(config: Partial<AgentLineConfigInput> = {}): LineInfo<AgentLineConfig> {
  return {
    id: "line-1",
    number: "+4686001000",
    name: "Stjärnklart",
    product: "agent_line",
    voice: "female",
    config: parseAgentLineConfig({ welcomeText: "Welcome to Stjärnklart.", ...config }),
  };
}

export function agentLineCall(config: Partial<AgentLineConfigInput> = {}): AgentLineScript {
  return new CallScript<AgentLineState, AgentLineConfig, AgentLineFlowCommand, AgentLineOwnEvent>(
    agentLineFlow,
    agentLine(config),
  );
}

/** 19.90 SEK a minute, a 4.95 SEK connection fee, 1000 SEK of credit free. */
export function customer(over: Partial<CustomerView> = {}): CustomerView {
  return {
    id: "cu_1",
    name: "Anna Lind",
    blacklistPrompt: null,
    unpaid: null,
    blocked: false,
    available: 100_000,
    articleNr: "100",
    pricePerMinute: 1990,
    vatRateBp: 2500,
    perCall: 495,
    ...over,
  };
}

/** Dial in (caller ID as the network gave it), hear the welcome: identify_caller is asked. */
export function dialIn(s: AgentLineScript, from = "+4681234567"): AgentLineScript {
  s.start(from);
  s.answered();
  s.spoke();
  return s;
}

export function identifiedAs(s: AgentLineScript, identified: Identified): AgentLineScript {
  s.send({ type: "caller_identified", identified, at: s.now });
  return s;
}

/** The last reserve_credit asked for, answered with `amount` (0: refused). */
export function creditAnswered(s: AgentLineScript, amount: number): AgentLineScript {
  const asked = ofType(s.sent, "reserve_credit").at(-1);
  if (!asked) throw new Error("no reserve_credit was asked for");
  s.send(
    amount > 0
      ? { type: "credit_reserved", reservationId: asked.reservationId, amount, at: s.now }
      : { type: "credit_refused", reservationId: asked.reservationId, at: s.now },
  );
  return s;
}

/** An agent is reserved, rings, answers and is bridged: talk runs from `now`. */
export function connectAgent(s: AgentLineScript, agentId = "ag_1", n = 1): AgentLineScript {
  s.spoke();
  s.send({ type: "agent_reserved", agentId, destination: `+468700100${n}`, name: "Astrid", at: s.now });
  s.dialled(agentLeg(n), `agent:${agentId}`);
  s.answered(agentLeg(n), `agent:${agentId}`);
  s.bridged(agentLeg(n), `agent:${agentId}`);
  return s;
}
