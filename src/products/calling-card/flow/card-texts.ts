/**
 * Everything a calling-card line says, in one place. Money is spoken in the card's currency;
 * nothing here ever includes a PIN (entries are never read back).
 */
import { spokenDuration, spokenMoney } from "../../../ivr/prompts";
import type { CardRefusal } from "../card-vocabulary";

export const texts = {
  pinPrompt: "Please enter your PIN, followed by the pound key.",
  pinAgain: "Sorry, please enter your PIN again.",
  pinWrongLength: "That PIN was not complete.",
  pinUnknown: "That PIN is not valid.",
  destinationPrompt: "Please enter the number you wish to call, followed by the pound key.",
  destinationInvalid: "That number is not valid. Include the area code, or the country code after 0 1 1.",
  noRate: "Sorry, calls to that number are not available with this card.",
  notEnoughForDestination: "Your balance is not enough to call that number.",
  unavailable: "Sorry, we cannot check your card right now. Please try again later. Goodbye.",
  tooManyPinTries: "Sorry, we could not accept your PIN. Goodbye.",
  tooManyDestinationTries: "We did not receive a number to call. Goodbye.",
  warning: "Your call will end in one minute.",
  callEnded: "Your call has ended.",
  balanceGone: "Your balance has run out. Goodbye.",
  goodbye: "Thank you for calling. Goodbye.",
  busy: "The number you called is busy. You have not been charged.",
  noAnswer: "There was no answer. You have not been charged.",
  rejected: "The call was not accepted. You have not been charged.",
  notFound: "The number you called does not exist. You have not been charged.",
  unreachable: "The number you called could not be reached. You have not been charged.",
} as const;

export const balanceText = (available: number, currency: string): string =>
  `You have ${spokenMoney(available, currency)}.`;

export const minutesText = (seconds: number): string => `You can talk for up to ${spokenDuration(seconds)}.`;

export const welcomeWithPin = (welcome: string): string => `${welcome} ${texts.pinPrompt}`;

export function refusalText(reason: CardRefusal, lockedUntil: number | null, now: number): string {
  switch (reason) {
    case "locked": {
      const hours = lockedUntil === null ? 24 : Math.max(1, Math.ceil((lockedUntil - now) / 3_600_000));
      return `Too many wrong PIN entries. This card is locked. Please try again in ${hours} ${hours === 1 ? "hour" : "hours"}. Goodbye.`;
    }
    case "blocked":
      return "This card has been blocked. Goodbye.";
    case "expired":
      return "This card has expired. Goodbye.";
    case "not_yet_valid":
      return "This card cannot be used yet. Goodbye.";
    case "depleted":
      return "This card has no balance left. Goodbye.";
    case "in_use":
      return "This card is in use on another call. Please try again later. Goodbye.";
    case "not_ready":
      return "This card is not ready for use yet. Goodbye.";
    case "not_registered":
      return "Your number is not registered to a card. Goodbye.";
    case "unknown":
      return texts.pinUnknown;
  }
}
