/**
 * Everything an agent line says, in one place. Amounts are spoken in the line's currency.
 */
import { spokenDuration, spokenMoney } from "../../ivr/prompts";
import type { AgentLineConfig } from "./config";

export const texts = {
  enterCode: (cfg: AgentLineConfig) =>
    `We could not find your number in our register. Please enter your ${cfg.codeLength} digit customer code, then press pound. Press star if you have none.`,
  wrongCode: "That customer code is not valid.",
  toService: "We are transferring you to customer service, who can help you get started.",
  noService: "Please contact customer service to open an account. Goodbye.",
  locked: "Too many wrong customer codes were entered from this number. Please try again tomorrow. Goodbye.",
  barred: (prompt: string) => `We are sorry, but you can't use this service because ${prompt}. Goodbye.`,
  unpaid: (owed: number, cfg: AgentLineConfig) =>
    `You have an unpaid invoice of ${spokenMoney(owed, cfg.currency)}. You can call again once it is paid. Goodbye.`,
  noCredit: "Your credit is used up for now. Please contact customer service. Goodbye.",
  connecting: "Thank you. Connecting you to an agent.",
  hold: "All of our agents are busy. Please hold and we will connect you as soon as one is free.",
  noAgent: "Sorry, no agent is free right now. Please call again later. Goodbye.",
  tooLong: "Sorry, we could not connect your call in time. Goodbye.",
  warning: (secondsLeft: number) => `Your credit runs out in ${spokenDuration(secondsLeft)}.`,
  unavailable: "Sorry, we cannot take your call right now. Please try again later. Goodbye.",
} as const;
