/**
 * The one rule for phone numbers: everything that enters (API, CSV, webhooks) becomes E.164.
 * National forms are read for a line's country ("08-123 45 67" in Sweden → "+4681234567"); "00"
 * is the international prefix; separators (spaces, dashes, dots, parentheses, slashes) are dropped.
 */

interface Country {
  code: string;
  /** The trunk prefix dropped from national numbers (0 in most of Europe, none in NANP). */
  trunk: string;
}

export const COUNTRIES: Record<string, Country> = {
  SE: { code: "46", trunk: "0" },
  NO: { code: "47", trunk: "" },
  DK: { code: "45", trunk: "" },
  FI: { code: "358", trunk: "0" },
  DE: { code: "49", trunk: "0" },
  GB: { code: "44", trunk: "0" },
  US: { code: "1", trunk: "1" },
};

export type CountryCode = keyof typeof COUNTRIES;

const E164 = /^\+[1-9]\d{6,14}$/;

export const isE164 = (value: string): boolean => E164.test(value);

/** The E.164 form of `input`, read as a number of `country` when it is national; null when it is not a number. */
export function toE164(input: string, country: string = "SE"): string | null {
  const compact = input.trim().replace(/[\s().\-/]/g, "");
  if (compact.startsWith("+")) return isE164(compact) ? compact : null;
  if (!/^\d+$/.test(compact)) return null;
  if (compact.startsWith("00")) {
    const international = `+${compact.slice(2)}`;
    return isE164(international) ? international : null;
  }
  const c = COUNTRIES[country];
  if (!c) return null;
  const national = c.trunk && compact.startsWith(c.trunk) ? compact.slice(c.trunk.length) : compact;
  const full = `+${c.code}${national}`;
  return isE164(full) ? full : null;
}
