/**
 * What the IVR says and how it says numbers: one `say` builder and the spoken forms of money, digits
 * and durations, so every product sounds the same. Pure text building; never takes card data
 * (callers pass only what may be read aloud, e.g. a card's last 4).
 */
import { currencyName, minorToDecimal } from "../billing/currency";
import type { EngineCommand, LegId } from "./types";

/** A speak command on one leg; `targetLegs: "both"` reaches the bridged party too. */
export function say(leg: LegId, text: string, targetLegs?: "self" | "opposite" | "both"): EngineCommand {
  return targetLegs ? { type: "speak", leg, text, targetLegs } : { type: "speak", leg, text };
}

/**
 * Money as "12.50 US dollars": the decimal amount then the currency's name. One form everywhere,
 * because text-to-speech voices read a decimal number reliably in every language setting. The
 * decimals are the currency's own (500 JPY, 1.500 KWD), from the table the CSV export uses too.
 */
export function spokenMoney(amountMinor: number, currency: string): string {
  return `${minorToDecimal(amountMinor, currency)} ${currencyName(currency)}`;
}

/** Digits one by one ("4 2 4 2"), so a voice never reads "4242" as a number. */
export function spokenDigits(digits: string): string {
  return digits.split("").join(" ");
}

/** "1 minute", "25 minutes", "90 seconds": whole minutes when exact, else seconds. */
export function spokenDuration(seconds: number): string {
  if (seconds > 0 && seconds % 60 === 0) {
    const minutes = seconds / 60;
    return minutes === 1 ? "1 minute" : `${minutes} minutes`;
  }
  return seconds === 1 ? "1 second" : `${seconds} seconds`;
}
