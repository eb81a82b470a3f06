/**
 * What the IVR says and how it says numbers: one `say` builder and the spoken forms of money, digits
 * and durations, so every product sounds the same. Pure text building; never takes card data
 * (callers pass only what may be read aloud, e.g. a card's last 4).
 */
import type { EngineCommand, LegId } from "./types";

/** A speak command on one leg; `targetLegs: "both"` reaches the bridged party too. */
export function say(leg: LegId, text: string, targetLegs?: "self" | "opposite" | "both"): EngineCommand {
  return targetLegs ? { type: "speak", leg, text, targetLegs } : { type: "speak", leg, text };
}

/** Currencies whose minor unit is the major unit (ISO 4217 exponent 0). */
const ZERO_DECIMAL = new Set(["jpy", "krw", "clp", "isk", "vnd", "xaf", "xof", "ugx", "pyg"]);
const CURRENCY_NAMES: Record<string, string> = {
  usd: "US dollars",
  cad: "Canadian dollars",
  aud: "Australian dollars",
  eur: "euros",
  gbp: "pounds sterling",
  sek: "Swedish kronor",
  nok: "Norwegian kroner",
  dkk: "Danish kroner",
  chf: "Swiss francs",
  jpy: "Japanese yen",
};

/**
 * Money as "12.50 US dollars": the decimal amount then the currency's name. One form everywhere,
 * because text-to-speech voices read a decimal number reliably in every language setting.
 */
export function spokenMoney(amountMinor: number, currency: string): string {
  const code = currency.toLowerCase();
  const name = CURRENCY_NAMES[code] ?? code.toUpperCase();
  if (ZERO_DECIMAL.has(code)) return `${amountMinor} ${name}`;
  const sign = amountMinor < 0 ? "-" : "";
  const abs = Math.abs(amountMinor);
  const cents = String(abs % 100).padStart(2, "0");
  return `${sign}${Math.floor(abs / 100)}.${cents} ${name}`;
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
