/**
 * Stripe's test-card behaviours: which PANs approve or decline and why, brand detection, and the
 * checks Stripe makes when a PaymentMethod is created (Luhn, expiry, CVC length).
 * Works on the number only for the moment of the request; nothing here keeps it.
 */

export interface CardFailure {
  code: string;
  declineCode?: string;
  message: string;
  param?: string;
}

export type CardOutcome = { approved: true } | { approved: false; failure: CardFailure };

const declines: Record<string, CardFailure> = {
  "4000000000000002": {
    code: "card_declined",
    declineCode: "generic_decline",
    message: "Your card was declined.",
  },
  "4000000000009995": {
    code: "card_declined",
    declineCode: "insufficient_funds",
    message: "Your card has insufficient funds.",
  },
  "4000000000000069": {
    code: "expired_card",
    declineCode: "expired_card",
    message: "Your card has expired.",
    param: "exp_month",
  },
  "4000000000000127": {
    code: "incorrect_cvc",
    declineCode: "incorrect_cvc",
    message: "Your card's security code is incorrect.",
    param: "cvc",
  },
};

/** What the issuer says when a PaymentIntent using this card is confirmed. */
export function outcomeOf(number: string): CardOutcome {
  const failure = declines[number];
  return failure ? { approved: false, failure } : { approved: true };
}

export function brandOf(number: string): string {
  if (/^4/.test(number)) return "visa";
  if (/^(5[1-5]|2[2-7])/.test(number)) return "mastercard";
  if (/^3[47]/.test(number)) return "amex";
  if (/^6(011|5)/.test(number)) return "discover";
  return "unknown";
}

export function passesLuhn(number: string): boolean {
  let sum = 0;
  for (let i = 0; i < number.length; i++) {
    let digit = Number(number[number.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return number.length > 0 && sum % 10 === 0;
}

export interface RawCard {
  number: string;
  expMonth: string;
  expYear: string;
  cvc?: string;
}

/** Stripe refuses a malformed card at PaymentMethod creation, before any issuer sees it. */
export function checkCardFormat(card: RawCard, now: Date): CardFailure | null {
  if (!/^\d{12,19}$/.test(card.number)) {
    return {
      code: "invalid_number",
      message: "Your card number is not a valid credit card number.",
      param: "number",
    };
  }
  if (!passesLuhn(card.number))
    return { code: "incorrect_number", message: "Your card number is incorrect.", param: "number" };
  const month = Number(card.expMonth);
  const year = Number(card.expYear.length === 2 ? `20${card.expYear}` : card.expYear);
  if (!Number.isInteger(month) || month < 1 || month > 12) {
    return {
      code: "invalid_expiry_month",
      message: "Your card's expiration month is invalid.",
      param: "exp_month",
    };
  }
  const thisYear = now.getUTCFullYear();
  if (!Number.isInteger(year) || year < thisYear || year > thisYear + 50) {
    return {
      code: "invalid_expiry_year",
      message: "Your card's expiration year is invalid.",
      param: "exp_year",
    };
  }
  if (year === thisYear && month < now.getUTCMonth() + 1) {
    return {
      code: "invalid_expiry_month",
      message: "Your card's expiration month is invalid.",
      param: "exp_month",
    };
  }
  const cvcLength = brandOf(card.number) === "amex" ? 4 : 3;
  if (card.cvc !== undefined && !new RegExp(`^\\d{${cvcLength}}$`).test(card.cvc)) {
    return { code: "invalid_cvc", message: "Your card's security code is invalid.", param: "cvc" };
  }
  return null;
}
