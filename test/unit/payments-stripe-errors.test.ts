/** How Stripe SDK errors become our decline reasons and retry verdicts (no card data copied). */
import Stripe from "stripe";
import { describe, expect, it } from "vitest";
import { PaymentsRejectedError, PaymentsUnavailableError } from "../../src/payments/payments";
import { declineReasonOf, toPaymentsError } from "../../src/payments/stripe-errors";

const {
  StripeCardError,
  StripeAPIError,
  StripeConnectionError,
  StripeInvalidRequestError,
  StripeRateLimitError,
} = Stripe.errors;

describe("declineReasonOf", () => {
  it.each([
    ["card_declined", "generic_decline", "declined"],
    ["card_declined", "insufficient_funds", "insufficient_funds"],
    ["card_declined", "do_not_honor", "declined"],
    ["expired_card", "expired_card", "expired_card"],
    ["invalid_expiry_year", undefined, "expired_card"],
    ["incorrect_cvc", "incorrect_cvc", "incorrect_cvc"],
    ["invalid_cvc", undefined, "incorrect_cvc"],
    ["incorrect_number", undefined, "incorrect_number"],
    ["invalid_number", undefined, "incorrect_number"],
    ["processing_error", undefined, "declined"],
  ])("%s / %s → %s", (code, decline_code, reason) => {
    const err = new StripeCardError({
      type: "card_error",
      code,
      decline_code,
      message: "x",
      statusCode: 402,
    });
    expect(declineReasonOf(err)).toBe(reason);
  });

  it("is null for anything that is not a card error", () => {
    expect(
      declineReasonOf(
        new StripeInvalidRequestError({ type: "invalid_request_error", code: "card_declined" }),
      ),
    ).toBeNull();
    expect(declineReasonOf(new Error("card_declined"))).toBeNull();
  });
});

describe("toPaymentsError", () => {
  it.each([
    ["connection", new StripeConnectionError({ type: "api_error", message: "fetch failed" })],
    ["503", new StripeAPIError({ type: "api_error", statusCode: 503 })],
    ["429", new StripeRateLimitError({ type: "invalid_request_error", code: "rate_limit", statusCode: 429 })],
    [
      "lock timeout",
      new StripeInvalidRequestError({ type: "invalid_request_error", code: "lock_timeout", statusCode: 400 }),
    ],
    [
      "key in use",
      new StripeAPIError({ type: "idempotency_error", code: "idempotency_key_in_use", statusCode: 409 }),
    ],
    ["a runtime failure", new TypeError("boom")],
  ])("%s is worth retrying", (_name, err) => {
    expect(toPaymentsError("capture", err)).toBeInstanceOf(PaymentsUnavailableError);
  });

  it("refuses a bad request for good, without copying Stripe's message", () => {
    const err = new StripeInvalidRequestError({
      type: "invalid_request_error",
      code: "parameter_invalid_integer",
      param: "card[number]",
      message: "Invalid integer: 4242424242424242",
      statusCode: 400,
      requestId: "req_1",
    });
    const mapped = toPaymentsError("authorize", err);
    expect(mapped).toBeInstanceOf(PaymentsRejectedError);
    expect(mapped.message).toContain("parameter_invalid_integer");
    expect(mapped.message).not.toContain("4242");
    expect(mapped.cause).toBeUndefined();
  });
});
