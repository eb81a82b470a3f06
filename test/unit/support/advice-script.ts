/**
 * Ready-made advice calls for tests and simulators: a line with a given config and the usual steps
 * of a caller (accept terms, key in a card, reach a rep). Pure, built on CallScript; uses Stripe's
 * public test card numbers only.
 */
import { CallScript } from "../../ivr/call-script";
import { legId, type LineInfo } from "../../ivr/types";
import type { AdviceState } from "./advice-state";
import { adviceFlow } from "./advice-flow";
import { parseAdviceConfig, type AdviceConfig, type AdviceConfigInput } from "./config";

export const TEST_VISA = "4242424242424242";
export const agentLeg = (n = 1) => legId(`leg-agent-${n}`);

export type AdviceScript = CallScript<AdviceState, AdviceConfig>;

export function adviceLine(config: AdviceConfigInput): LineInfo<AdviceConfig> {
  return {
    id: "line-1",
    number: "+18005550100",
    name: "Ask Anna",
    product: "advice",
    voice: "female",
    config: parseAdviceConfig(config),
  };
}

export function adviceCall(config: AdviceConfigInput): AdviceScript {
  return new CallScript(adviceFlow, adviceLine(config));
}

/** Call in, hear the welcome, accept the terms with 1: the card number prompt is next. */
export function acceptTerms(s: AdviceScript): AdviceScript {
  s.start();
  s.answered();
  s.spoke();
  s.press("1");
  return s;
}

/** Key in a whole card (confirming each field when the line asks), leaving authorisation pending. */
export function keyInCard(s: AdviceScript, number = TEST_VISA): AdviceScript {
  const confirm = s.line.config.confirmCardFields;
  for (const digits of [number, "1228", "42", "90210"]) {
    s.press(digits);
    if (confirm) s.press("1");
  }
  s.press("123");
  return s;
}

/** The card is accepted at the processor: the payment is prepared (no money yet), confirm follows. */
export function prepare(s: AdviceScript, paymentId = "pi_1"): AdviceScript {
  s.send({ type: "payment_prepared", paymentId, brand: "visa", last4: "4242", at: s.now });
  return s;
}

/** The processor approved (a hold per minute, a charge for flat rate): prepared, then confirmed. */
export function approve(s: AdviceScript, paymentId = "pi_1"): AdviceScript {
  const cfg = s.line.config;
  const amount = cfg.billing === "per_minute" ? cfg.preauthAmount : cfg.flatFee;
  const type = cfg.billing === "per_minute" ? "payment_authorized" : "payment_charged";
  prepare(s, paymentId);
  s.send({ type, paymentId, amount, at: s.now });
  return s;
}

/** A rep is reserved, rings, answers and is bridged: talk is running from `now`. */
export function connectRep(s: AdviceScript, agentId = "a1", n = 1): AdviceScript {
  s.send({ type: "agent_reserved", agentId, destination: `+1555000000${n}`, name: "Anna", at: s.now });
  s.dialled(agentLeg(n), `agent:${agentId}`);
  s.answered(agentLeg(n), `agent:${agentId}`);
  s.bridged(agentLeg(n), `agent:${agentId}`);
  return s;
}
