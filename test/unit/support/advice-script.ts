/**
 * Ready-made advice calls for tests and simulators: a line with a given config and the usual steps
 * of a caller (accept terms, key in a card, reach a rep). Pure, built on CallScript; uses Stripe's
 * public test card numbers only.
 */
import type { CardEvent } from "../../../src/card-payments/vocabulary";
import type { SecurePaymentEvent } from "../../../src/secure-payments/vocabulary";
import { CallScript, ofType } from "../../../src/ivr/call-script";
import { legId, type CallRecord, type LineInfo } from "../../../src/ivr/types";
import type { AdviceCommand, AdviceState } from "../../../src/products/advice/advice-state";
import { adviceFlow } from "../../../src/products/advice/advice-flow";
import {
  parseAdviceConfig,
  type AdviceConfig,
  type AdviceConfigInput,
} from "../../../src/products/advice/config";

export const TEST_VISA = "4242424242424242";
export const agentLeg = (n = 1) => legId(`leg-agent-${n}`);

export type AdviceScript = CallScript<
  AdviceState,
  AdviceConfig,
  AdviceCommand,
  CardEvent | SecurePaymentEvent
>;

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
  return new CallScript<AdviceState, AdviceConfig, AdviceCommand, CardEvent | SecurePaymentEvent>(
    adviceFlow,
    adviceLine(config),
  );
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

/** The rep's leg follows the caller's out (as Telnyx reports after our hang-up): talk has ended. */
export function repFollows(s: AdviceScript, n = 1, agentId = "a1"): AdviceScript {
  s.hungUp(agentLeg(n), `agent:${agentId}`);
  return s;
}

/** Stripe answers every money operation still waiting (capture, cancel, refund, release): done. */
export function moneySettles(s: AdviceScript): AdviceScript {
  for (const cmd of [...s.sent]) {
    if (
      cmd.type !== "capture_payment" &&
      cmd.type !== "cancel_payment" &&
      cmd.type !== "refund_payment" &&
      cmd.type !== "release_payment"
    )
      continue;
    const operation = (
      {
        capture_payment: "capture",
        cancel_payment: "cancel",
        refund_payment: "refund",
        release_payment: "release",
      } as const
    )[cmd.type];
    const amount = "amount" in cmd ? cmd.amount : 0;
    s.send({
      type: "payment_settled",
      operation,
      paymentId: cmd.paymentId,
      amount,
      outcome: "done",
      at: s.now,
    });
  }
  return s;
}

/** The one call record the flow wrote (fails the test when there is none, or more). */
export function recordOf(s: AdviceScript): CallRecord {
  const records = ofType(s.sent, "record_call");
  if (records.length !== 1) throw new Error(`expected one record_call, got ${records.length}`);
  return records[0]!.record;
}
