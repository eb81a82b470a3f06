/**
 * What the caller hears during a secure payment: the amount to confirm, the result, and the way
 * back to the agent. Amounts are spoken by the shared money wording; no card data is ever read
 * back here (the card prompts and their read-back of the last 4 live in card capture).
 */
import { spokenMoney } from "../ivr/prompts";
import type { FailureReason } from "./vocabulary";

export const texts = {
  amount: (item: string, amount: number, currency: string) =>
    `Your agent has started a secure payment. They cannot hear you or the keys you press. ` +
    `The payment is for ${item}: ${spokenMoney(amount, currency)}. ` +
    `Press 1 to confirm the amount, or 2 to reject it. Press star at any time to cancel and return to your agent.`,
  /** A restarted call lost the card digits it held: the caller keys them again. */
  cardAgain: "Sorry, we need to ask for your card details again.",
  success: (amount: number, currency: string) =>
    `Thank you. Your payment of ${spokenMoney(amount, currency)} was successful.`,
  backToAgent: "Returning you to your agent now.",
  agentGoodbye: "Your agent has left the call. Goodbye.",
  /** After a charge that went through, the caller must not hear "not charged". */
  agentLeft: (charged: boolean) =>
    charged
      ? "Your agent has left the call. Your payment went through. Goodbye."
      : "Your agent has left the call. You have not been charged. Goodbye.",
  failed: {
    amount_rejected: "You rejected the amount. You have not been charged.",
    declined: "Your card was declined. You have not been charged.",
    too_many_tries: "We could not take your card details. You have not been charged.",
    timed_out: "We did not hear from you, so the payment has stopped. You have not been charged.",
    cancelled_by_caller: "You cancelled the payment. You have not been charged.",
    cancelled_by_agent: "Your agent cancelled the payment. You have not been charged.",
    caller_hung_up: "",
    agent_hung_up: "",
    processor_unavailable: "We could not reach the payment service. You have not been charged.",
    not_isolated: "Sorry, the secure payment could not start.",
  } satisfies Record<FailureReason, string>,
};
