/**
 * Everything the advice line says, in one place, so wording can be reviewed (and later translated)
 * without reading the flow. Built from config; never includes card data beyond the last 4.
 */
import { spokenDuration, spokenMoney } from "../../ivr/prompts";
import type { AdviceConfig } from "./config";
import { talkLimitSec } from "./advice-state";

export const ACCEPT_OR_DECLINE = "Press 1 to accept, or 2 to decline.";

function incrementPhrase(cfg: AdviceConfig): string {
  const { firstBlockSec, stepSec } = cfg.increment;
  if (firstBlockSec === 60 && stepSec === 60) return "billed per started minute";
  if (firstBlockSec === 1 && stepSec === 1) return "billed per second";
  return `billed for the first ${spokenDuration(firstBlockSec)}, then every ${spokenDuration(stepSec)}`;
}

/** The price explanation the caller accepts with 1; an admin's termsText replaces the generated part. */
export function termsPrompt(cfg: AdviceConfig): string {
  if (cfg.termsText) return `${cfg.termsText} ${ACCEPT_OR_DECLINE}`;
  const money = (amount: number) => spokenMoney(amount, cfg.currency);
  const limit = spokenDuration(talkLimitSec(cfg));
  const terms =
    cfg.billing === "per_minute"
      ? `This call costs ${money(cfg.ratePerMinute)} per minute, ${incrementPhrase(cfg)}. ` +
        `We will place a temporary hold of ${money(cfg.preauthAmount)} on your card and charge only ` +
        `for the time you talk with a representative, for up to ${limit}.`
      : `This call costs a flat fee of ${money(cfg.flatFee)} for up to ${limit} with a representative. ` +
        `Your card is charged before we connect you, and refunded if no representative answers.`;
  return `${terms} ${ACCEPT_OR_DECLINE}`;
}

export const texts = {
  declinedTerms: "No problem. Thank you for calling. Goodbye.",
  termsNoAnswer: "We did not receive your choice. Goodbye.",
  cardCancelled: "Payment cancelled. Thank you for calling. Goodbye.",
  cardFailed: "Sorry, we could not take your card details. Goodbye.",
  invalidNumber: "The card number was invalid, please re-enter.",
  cardDataLost: "Sorry, we need your card details again.",
  approved: "Thank you, your card is approved. Connecting you to a representative.",
  /** When voice questions come before the rep. */
  approvedFirst: "Thank you, your card is approved.",
  declinedMenu: "Sorry, your card was declined. Press 1 to try another card, or 2 to end the call.",
  anotherCard: "Please have your other card ready.",
  declinedToService: "Sorry, your card was declined. We are transferring you to customer service.",
  declinedGoodbye: "Sorry, your card was declined. You have not been charged. Goodbye.",
  tooManyCards:
    "Sorry, we could not take a payment from the cards you entered. You have not been charged. Goodbye.",
  tooLongBeforeTalk: "Sorry, we could not connect your call in time. Goodbye.",
  unavailableMenu:
    "Sorry, we could not reach our card processor. You have not been charged. " +
    "Press 1 to try again, or 2 to end the call.",
  unavailableGoodbye: "Sorry, we still cannot reach our card processor. You have not been charged. Goodbye.",
  hold: "All of our representatives are busy. Please hold and we will connect you as soon as one is free.",
  voicemailThanks: "Thank you for your message. Goodbye.",
  goodbye: "Goodbye.",
} as const;

export function warningText(cfg: AdviceConfig): string {
  return `This call will end in ${spokenDuration(cfg.warningSec)}.`;
}

export function voicemailPrompt(cfg: AdviceConfig): string {
  const refund =
    cfg.billing === "flat_rate"
      ? `You have not been connected, so your payment of ${spokenMoney(cfg.flatFee, cfg.currency)} will be refunded. `
      : "You have not been charged. ";
  return `Sorry, no representative is available. ${refund}Please leave a message after the tone.`;
}
