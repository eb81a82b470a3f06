/**
 * What the caller hears in assisted mode, where the agent stays on the line: the amount (and that
 * the agent cannot hear their keys), and the short lines between the fields the agent asks for.
 * Never a card digit: the field prompts and read-backs are card capture's own.
 */
import { spokenMoney } from "../ivr/prompts";
import type { PaymentRequest } from "./vocabulary";

export const assistedTexts = {
  amount: (r: Pick<PaymentRequest, "item" | "amount" | "currency">) =>
    `Your agent has started a secure payment and stays on the line, but cannot hear the keys you press. ` +
    `The payment is for ${r.item}: ${spokenMoney(r.amount, r.currency)}. ` +
    `Press 1 to confirm the amount, or 2 to reject it. Press star at any time to cancel.`,
  agentWillAsk: "Thank you. Your agent will now ask you for your card details, one at a time.",
  noEntry: "We did not receive your entry. Your agent will ask you again.",
  fieldFailed: "We could not take that entry. Your agent will ask you again.",
  declined: "Your card was declined. You have not been charged. Your agent will ask you for a card again.",
  cardAgain: "Sorry, we need to ask for your card details again.",
};
