/**
 * Secure payments as call scripts on the demo line (any product's talk works the same way): a
 * caller talking to agent a1, the agent's request, Telnyx confirming the private queue, and the
 * caller's keys for the amount and each card field, with Stripe's answers. Test cards only.
 */
import type { CardEvent } from "../../../src/card-payments/vocabulary";
import { CALLER_LEG, CallScript, ofType } from "../../../src/ivr/call-script";
import { legId, type ActionPrincipal, type LineInfo } from "../../../src/ivr/types";
import { demoConfigSchema, type DemoConfig } from "../../../src/products/demo/config";
import type { DemoCommand, DemoState } from "../../../src/products/demo/demo-steps";
import { demoFlow } from "../../../src/products/demo/demo-flow";
import type { SecurePaymentEvent, SecurePaymentRecord } from "../../../src/secure-payments/vocabulary";

export const AGENT = legId("leg-agent");
export const AGENT_ID = "a1";
export const AS_AGENT: ActionPrincipal = { kind: "agent", agentId: AGENT_ID };
export const VISA = "4242424242424242";
export const CARD = { number: VISA, expiry: "1230", cvc: "123", zip: "94107" } as const;

export type PaymentScript = CallScript<DemoState, DemoConfig, DemoCommand, CardEvent | SecurePaymentEvent>;

export function demoLine(config: Record<string, unknown> = {}): LineInfo<DemoConfig> {
  return {
    id: "demo-line",
    number: "+18005550199",
    name: "Demo",
    product: "demo",
    voice: "female",
    config: demoConfigSchema.parse(config),
  };
}

/** Caller and agent a1 are talking (bridged) from the returned script's `now`. */
export function talking(config: Record<string, unknown> = {}): PaymentScript {
  const s: PaymentScript = new CallScript(demoFlow, demoLine(config));
  s.start();
  s.answered();
  s.press("1");
  s.send({ type: "agent_reserved", agentId: AGENT_ID, destination: "+15550000001", name: "Anna", at: s.now });
  s.dialled(AGENT, `agent:${AGENT_ID}`);
  s.answered(AGENT, `agent:${AGENT_ID}`);
  s.bridged(AGENT, `agent:${AGENT_ID}`);
  s.wait(30_000);
  return s;
}

export const REQUEST = { item: "Annual plan", amount: 1250, currency: "usd" } as const;

/** The agent asks for a payment (an action through the API, with its Idempotency-Key). */
export function request(s: PaymentScript, params: Record<string, unknown> = REQUEST, key = "req-1") {
  return s.act("request_payment", params, key, AS_AGENT);
}

/** Telnyx reports the agent's leg in the private queue. */
export function isolate(s: PaymentScript, queue = "sp_session-1_1") {
  return s.send({ type: "leg_enqueued", leg: AGENT, queue, at: s.now });
}

/** Asked, isolated, and the amount confirmed with 1: the card number prompt is next. */
export function toCard(s: PaymentScript): PaymentScript {
  request(s);
  isolate(s);
  s.wait(8_000);
  s.press("1");
  return s;
}

/** Keys every card field, confirming each with 1: the card goes to Stripe next. */
export function keyCard(
  s: PaymentScript,
  card: { number: string; expiry: string; cvc: string; zip: string } = CARD,
) {
  for (const digits of [card.number, card.expiry, card.cvc, card.zip]) {
    s.wait(5_000);
    s.press(digits);
    s.press("1");
  }
  return s;
}

/** Stripe sets the card up, then charges it. */
export function charge(s: PaymentScript, paymentId = "pi_sp_1") {
  s.send({ type: "payment_prepared", paymentId, brand: "visa", last4: "4242", at: s.now });
  return s.send({ type: "payment_charged", paymentId, amount: 1250, at: s.now });
}

/** The records the payment asked to be written (one per finished request). */
export const recordsOf = (s: PaymentScript): SecurePaymentRecord[] =>
  ofType(s.sent, "record_secure_payment").map((c) => c.record);

/** The text of every speak and gather prompt sent to the caller since index `from`. */
export function heard(s: PaymentScript, from = 0): string[] {
  return s.sent.slice(from).flatMap((c) => {
    if (c.type === "speak" && c.leg === CALLER_LEG) return [c.text];
    if (c.type === "gather" && c.leg === CALLER_LEG) return [c.prompt];
    return [];
  });
}

/** The live frame's payment facts, as the console reads them. */
export const detailOf = (s: PaymentScript) => demoFlow.view?.(s.state, s.line)?.detail ?? {};
