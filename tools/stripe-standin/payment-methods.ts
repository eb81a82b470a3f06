/**
 * POST /v1/payment_methods for raw card data: checks the card the way Stripe does, then keeps only
 * brand, last 4, expiry, a keyed fingerprint and the issuer's future answer — never the PAN or CVC.
 */
import { createHmac, randomBytes } from "node:crypto";
import type { FormObject } from "./form";
import { errorReply, newId, type PaymentMethodObject, type Reply, type StandinStore } from "./objects";
import { ParamError, readObject, readString, rejectUnknownParams } from "./params";
import { brandOf, checkCardFormat, outcomeOf } from "./test-cards";

const fingerprintKey = randomBytes(32);

export function createPaymentMethod(store: StandinStore, form: FormObject): Reply {
  rejectUnknownParams(form, ["type", "card", "billing_details", "metadata"]);
  const type = readString(form, "type", true);
  if (type !== "card")
    return errorReply(
      400,
      { type: "invalid_request_error", message: `Invalid type: ${type}`, param: "type" },
      false,
    );
  const card = readObject(form, "card");
  if (!card) throw new ParamError(errorReply(400, missing("card"), false));
  const raw = {
    number: readString(card, "number", true).replace(/\s+/g, ""),
    expMonth: readString(card, "exp_month", true),
    expYear: readString(card, "exp_year", true),
    cvc: readString(card, "cvc"),
  };
  const failure = checkCardFormat(raw, new Date(store.now() * 1000));
  if (failure) {
    return errorReply(402, {
      type: "card_error",
      code: failure.code,
      message: failure.message,
      param: failure.param,
    });
  }
  const address = readObject(readObject(form, "billing_details") ?? {}, "address") ?? {};
  const postalCode = readString(address, "postal_code") ?? null;
  const line1 = readString(address, "line1") ?? null;
  const brand = brandOf(raw.number);
  const paymentMethod: PaymentMethodObject = {
    id: newId("pm"),
    object: "payment_method",
    type: "card",
    billing_details: {
      address: { city: null, country: null, line1, line2: null, postal_code: postalCode, state: null },
      email: null,
      name: null,
      phone: null,
    },
    card: {
      brand,
      display_brand: brand === "amex" ? "american_express" : brand,
      checks: {
        address_line1_check: line1 === null ? null : "unchecked",
        address_postal_code_check: postalCode === null ? null : "unchecked",
        cvc_check: raw.cvc === undefined ? null : "unchecked",
      },
      country: "US",
      exp_month: Number(raw.expMonth),
      exp_year: Number(raw.expYear.length === 2 ? `20${raw.expYear}` : raw.expYear),
      fingerprint: createHmac("sha256", fingerprintKey).update(raw.number).digest("base64url").slice(0, 16),
      funding: "credit",
      last4: raw.number.slice(-4),
    },
    created: store.now(),
    customer: null,
    livemode: false,
    metadata: {},
  };
  store.paymentMethods.set(paymentMethod.id, paymentMethod);
  store.cardOutcomes.set(paymentMethod.id, outcomeOf(raw.number));
  return { status: 200, body: paymentMethod };
}

function missing(param: string) {
  return {
    type: "invalid_request_error" as const,
    message: `Missing required param: ${param}.`,
    code: "parameter_missing",
    param,
  };
}
