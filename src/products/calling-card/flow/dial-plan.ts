/**
 * What a caller keys as a destination → an E.164 number: an international prefix (011, 00) is
 * followed by the country code; the trunk prefix (1 in NANP, 0 in most of Europe) starts a
 * national number; anything else is a national number without it. The result must be E.164:
 * "+", a non-zero first digit, 8 to 15 digits in all. Pure; the dial plan comes from the line.
 */
import type { CardConfig } from "../config";

export type DialPlan = CardConfig["dialPlan"];

const E164_DIGITS = /^[1-9]\d{7,14}$/;

/** The E.164 number ("+442079460000") or null when the keyed digits cannot be one. */
export function toE164(keyed: string, plan: DialPlan): string | null {
  if (!/^\d+$/.test(keyed)) return null;
  const international = [...plan.internationalPrefixes]
    .sort((a, b) => b.length - a.length)
    .find((p) => keyed.startsWith(p));
  let digits: string;
  if (international) digits = keyed.slice(international.length);
  else if (plan.trunkPrefix && keyed.startsWith(plan.trunkPrefix))
    digits = plan.countryCode + keyed.slice(plan.trunkPrefix.length);
  else digits = plan.countryCode + keyed;
  return E164_DIGITS.test(digits) ? `+${digits}` : null;
}
