/**
 * The project's one ISO 4217 table: how many decimals a currency's minor unit has (JPY 0, SEK 2,
 * KWD 3), the exact decimal form of an amount in minor units, and currency names for speech. The
 * IVR's spoken prices and the CSV export both read it, so a caller and an admin see one figure.
 * Pure; codes in any case. Stripe counts a few currencies differently (it takes ISK and UGX in
 * hundredths and MGA without decimals): an adapter sending amounts to Stripe must convert those.
 */

/** ISO 4217 list one, every code whose exponent is not 2 (codes without a minor unit left out). */
// prettier-ignore
const EXPONENT_NOT_2: Record<string, number> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0,
  VND: 0, VUV: 0, XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** Decimals of the currency's minor unit; 2 for any code not in the table. */
export function minorUnitExponent(currency: string): number {
  return EXPONENT_NOT_2[currency.toUpperCase()] ?? 2;
}

/** 12345 SEK → "123.45", 1500 KWD → "1.500", 500 JPY → "500"; exact (string arithmetic). */
export function minorToDecimal(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError("amounts are whole minor units");
  const exponent = minorUnitExponent(currency);
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, "0");
  const sign = amountMinor < 0 ? "-" : "";
  if (exponent === 0) return `${sign}${digits}`;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Plural names, as a text-to-speech voice should say them after an amount. */
const SPOKEN_NAMES: Record<string, string> = {
  AED: "UAE dirhams",
  AUD: "Australian dollars",
  BHD: "Bahraini dinars",
  BIF: "Burundian francs",
  BRL: "Brazilian reais",
  CAD: "Canadian dollars",
  CHF: "Swiss francs",
  CLF: "Chilean units of account",
  CLP: "Chilean pesos",
  CNY: "Chinese yuan",
  CZK: "Czech korunas",
  DJF: "Djiboutian francs",
  DKK: "Danish kroner",
  EUR: "euros",
  GBP: "pounds sterling",
  GNF: "Guinean francs",
  HKD: "Hong Kong dollars",
  HUF: "Hungarian forints",
  ILS: "Israeli new shekels",
  INR: "Indian rupees",
  IQD: "Iraqi dinars",
  ISK: "Icelandic kronur",
  JOD: "Jordanian dinars",
  JPY: "Japanese yen",
  KMF: "Comorian francs",
  KRW: "South Korean won",
  KWD: "Kuwaiti dinars",
  LYD: "Libyan dinars",
  MGA: "Malagasy ariary",
  MXN: "Mexican pesos",
  NOK: "Norwegian kroner",
  NZD: "New Zealand dollars",
  OMR: "Omani rials",
  PLN: "Polish zloty",
  PYG: "Paraguayan guaranies",
  RWF: "Rwandan francs",
  SAR: "Saudi riyals",
  SEK: "Swedish kronor",
  SGD: "Singapore dollars",
  TND: "Tunisian dinars",
  TRY: "Turkish lira",
  UGX: "Ugandan shillings",
  USD: "US dollars",
  VND: "Vietnamese dong",
  VUV: "Vanuatu vatu",
  XAF: "Central African CFA francs",
  XOF: "West African CFA francs",
  XPF: "CFP francs",
  ZAR: "South African rand",
};

/** "Kuwaiti dinars" for kwd; the upper-case code for a currency without a spoken name. */
export function currencyName(currency: string): string {
  const code = currency.toUpperCase();
  return SPOKEN_NAMES[code] ?? code;
}
