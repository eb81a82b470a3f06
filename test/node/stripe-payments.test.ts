/**
 * The real Stripe adapter (createStripePayments, the official SDK over fetch) against the Stripe
 * stand-in's wire: test-card outcomes, holds and captures, idempotent replays, outages.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  PaymentsRejectedError,
  PaymentsUnavailableError,
  type AuthorizeInput,
  type CardDetails,
  type Payments,
} from "../../src/payments/payments";
import { createStripePayments } from "../../src/payments/stripe-payments";
import { startStripeStandin, type StripeStandin } from "../../tools/stripe-standin";

let standin: StripeStandin;
let payments: Payments;
let keyCounter = 0;

beforeAll(async () => {
  standin = await startStripeStandin({});
  payments = createStripePayments({ secretKey: "sk_test_meterline", apiBase: standin.url });
});
afterAll(() => standin.close());
beforeEach(() => {
  keyCounter++;
});

const nextYear = new Date().getUTCFullYear() + 1;
const card = (number: string, cvc = "123"): CardDetails => ({
  number,
  expMonth: 12,
  expYear: nextYear,
  cvc,
  postalCode: "11122",
  streetNumber: "42",
});
const input = (over: Partial<AuthorizeInput> = {}): AuthorizeInput => ({
  amount: 5000,
  currency: "sek",
  card: card("4242424242424242"),
  capture: "manual",
  idempotencyKey: `sess-${keyCounter}:pi:1`,
  description: "Advice line call",
  metadata: { call: `sess-${keyCounter}` },
  ...over,
});

describe("authorize", () => {
  it("places a MOTO hold on an approved card and reports brand and last 4", async () => {
    const result = await payments.authorize(input());
    expect(result).toEqual({
      ok: true,
      paymentId: expect.stringMatching(/^pi_/) as string,
      status: "requires_capture",
      amount: 5000,
      brand: "visa",
      last4: "4242",
    });
    if (!result.ok) return;
    const intent = standin.paymentIntents.get(result.paymentId);
    expect(intent).toMatchObject({
      amount_capturable: 5000,
      amount_received: 0,
      capture_method: "manual",
      currency: "sek",
    });
    expect(intent?.payment_method_options.card.moto).toBe(true);
    expect(intent?.metadata).toEqual({ call: `sess-${keyCounter}` });
  });

  it("charges at once with automatic capture", async () => {
    const result = await payments.authorize(input({ capture: "automatic", card: card("5555555555554444") }));
    expect(result).toMatchObject({ ok: true, status: "succeeded", brand: "mastercard", last4: "4444" });
    if (result.ok) expect(standin.paymentIntents.get(result.paymentId)?.amount_received).toBe(5000);
  });

  it("accepts an amex with its 4-digit CVC", async () => {
    const result = await payments.authorize(input({ card: card("378282246310005", "1234") }));
    expect(result).toMatchObject({ ok: true, brand: "amex", last4: "0005" });
  });

  it.each([
    ["4000000000000002", "declined", "generic_decline"],
    ["4000000000009995", "insufficient_funds", "insufficient_funds"],
    ["4000000000000069", "expired_card", "expired_card"],
    ["4000000000000127", "incorrect_cvc", "incorrect_cvc"],
    ["4242424242424241", "incorrect_number", "incorrect_number"],
  ])("card %s is refused as %s, with Stripe's code %s", async (number, reason, code) => {
    expect(await payments.authorize(input({ card: card(number) }))).toEqual({ ok: false, reason, code });
  });

  it("refuses a card whose expiry has passed before asking the issuer", async () => {
    const expired = { ...card("4242424242424242"), expYear: new Date().getUTCFullYear() - 1 };
    expect(await payments.authorize(input({ card: expired }))).toMatchObject({
      ok: false,
      reason: "expired_card",
    });
  });

  it("replays the first answer for the same idempotency key: one intent, same id", async () => {
    const before = standin.paymentIntents.size;
    const first = await payments.authorize(input());
    const second = await payments.authorize(input());
    expect(second).toEqual(first);
    expect(standin.paymentIntents.size).toBe(before + 1);
  });

  it("replays a decline for the same key instead of asking the issuer again", async () => {
    const before = standin.paymentIntents.size;
    const declined = input({ card: card("4000000000000002") });
    expect(await payments.authorize(declined)).toMatchObject({ ok: false, reason: "declined" });
    expect(await payments.authorize(declined)).toMatchObject({ ok: false, reason: "declined" });
    expect(standin.paymentIntents.size).toBe(before + 1);
  });

  it("reports a Stripe outage as retryable, and the retry with the same key charges once", async () => {
    standin.failNext({ status: 503, path: "/v1/payment_intents" });
    const before = standin.paymentIntents.size;
    await expect(payments.authorize(input())).rejects.toBeInstanceOf(PaymentsUnavailableError);
    expect(standin.paymentIntents.size).toBe(before);
    const retried = await payments.authorize(input());
    expect(retried).toMatchObject({ ok: true, status: "requires_capture" });
    expect(await payments.authorize(input())).toEqual(retried);
    expect(standin.paymentIntents.size).toBe(before + 1);
  });

  it.each([500, 429] as const)("treats HTTP %i as retryable", async (status) => {
    standin.failNext({ status });
    await expect(payments.authorize(input())).rejects.toBeInstanceOf(PaymentsUnavailableError);
  });

  it("reports an unreachable Stripe as retryable", async () => {
    const offline = createStripePayments({ secretKey: "sk_test_x", apiBase: "http://127.0.0.1:1" });
    await expect(offline.authorize(input())).rejects.toBeInstanceOf(PaymentsUnavailableError);
  });

  it("refuses a key reused with other parameters, as not retryable", async () => {
    await payments.authorize(input({ amount: 1000 }));
    await expect(payments.authorize(input({ amount: 2000 }))).rejects.toBeInstanceOf(PaymentsRejectedError);
  });
});

describe("capture, cancel, refund", () => {
  async function hold(amount = 5000): Promise<string> {
    const result = await payments.authorize(input({ amount }));
    if (!result.ok) throw new Error(`expected a hold, got ${result.reason}`);
    return result.paymentId;
  }

  it("captures part of a hold", async () => {
    const id = await hold(5000);
    await payments.capture(id, 1234, `${id}:capture`);
    expect(standin.paymentIntents.get(id)).toMatchObject({
      status: "succeeded",
      amount_received: 1234,
      amount_capturable: 0,
    });
  });

  it("treats a second capture (new key) of a captured intent as done", async () => {
    const id = await hold();
    await payments.capture(id, 3000, `${id}:capture`);
    await expect(payments.capture(id, 3000, `${id}:capture-again`)).resolves.toBeUndefined();
    expect(standin.paymentIntents.get(id)?.amount_received).toBe(3000);
  });

  it("refuses to capture more than the hold", async () => {
    const id = await hold(1000);
    await expect(payments.capture(id, 1001, `${id}:capture`)).rejects.toBeInstanceOf(PaymentsRejectedError);
    expect(standin.paymentIntents.get(id)?.status).toBe("requires_capture");
  });

  it("releases a hold, and releasing it again is fine", async () => {
    const id = await hold();
    await payments.cancel(id, `${id}:cancel`);
    expect(standin.paymentIntents.get(id)).toMatchObject({ status: "canceled", amount_capturable: 0 });
    await expect(payments.cancel(id, `${id}:cancel-again`)).resolves.toBeUndefined();
  });

  it("does not pretend a captured payment was cancelled", async () => {
    const id = await hold();
    await payments.capture(id, 500, `${id}:capture`);
    await expect(payments.cancel(id, `${id}:cancel`)).rejects.toBeInstanceOf(PaymentsRejectedError);
  });

  it("refunds a captured payment once, even when asked twice", async () => {
    const id = await hold();
    await payments.capture(id, 2500, `${id}:capture`);
    await payments.refund(id, `${id}:refund`);
    await payments.refund(id, `${id}:refund`);
    await payments.refund(id, `${id}:refund-2`);
    const refunds = standin.requests.filter((r) => r.path === "/v1/refunds" && r.form.payment_intent === id);
    expect(refunds.map((r) => r.status)).toEqual([200, 200, 400]);
  });

  it("reports a capture during an outage as retryable, then captures once", async () => {
    const id = await hold();
    standin.failNext({ status: 503, path: `/v1/payment_intents/${id}/capture` });
    await expect(payments.capture(id, 700, `${id}:capture`)).rejects.toBeInstanceOf(PaymentsUnavailableError);
    await payments.capture(id, 700, `${id}:capture`);
    expect(standin.paymentIntents.get(id)?.amount_received).toBe(700);
  });

  it("refuses to capture an unknown intent", async () => {
    await expect(payments.capture("pi_missing", 100, "pi_missing:capture")).rejects.toBeInstanceOf(
      PaymentsRejectedError,
    );
  });
});

describe("an authorisation whose answer was lost", () => {
  it("a failed confirmation reports the intent's id, so it can be released", async () => {
    standin.failNext({ status: 503, path: "/v1/payment_intents/*" });
    const err = await payments.authorize(input()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaymentsUnavailableError);
    const id = (err as PaymentsUnavailableError).paymentId;
    expect(id).toMatch(/^pi_/);
    expect(standin.paymentIntents.get(id!)?.status).toBe("requires_confirmation");
  });

  it("a second confirmation under a fresh key reads the intent's state instead of failing", async () => {
    const prepared = await payments.prepare(input());
    if (!prepared.ok) throw new Error("test card should be accepted");
    const first = await payments.confirm(prepared.paymentId, "k1");
    const again = await payments.confirm(prepared.paymentId, "k2");
    expect(again).toEqual(first);
    expect(again).toMatchObject({ ok: true, status: "requires_capture", amount: 5000 });
    expect(standin.paymentIntents.get(prepared.paymentId)?.amount_capturable).toBe(5000);
  });

  it("release cancels a hold, refunds a charge, and is fine when repeated", async () => {
    const hold = await payments.authorize(input());
    const charge = await payments.authorize(
      input({ capture: "automatic", idempotencyKey: `sess-${keyCounter}:pi:2` }),
    );
    if (!hold.ok || !charge.ok) throw new Error("test cards should approve");
    await payments.release(hold.paymentId, `${hold.paymentId}:release`);
    await payments.release(hold.paymentId, `${hold.paymentId}:release`);
    expect(standin.paymentIntents.get(hold.paymentId)?.status).toBe("canceled");
    await payments.release(charge.paymentId, `${charge.paymentId}:release`);
    await payments.release(charge.paymentId, `${charge.paymentId}:release`);
    const refunds = standin.requests.filter((r) => r.path === "/v1/refunds" && r.status === 200);
    // The hold is never refunded; the charge is refunded under one key (a repeat is Stripe's replay).
    expect(refunds.filter((r) => r.form.payment_intent === hold.paymentId)).toEqual([]);
    const chargeRefunds = refunds.filter((r) => r.form.payment_intent === charge.paymentId);
    expect(chargeRefunds.length).toBeGreaterThan(0);
    expect(new Set(chargeRefunds.map((r) => r.idempotencyKey)).size).toBe(1);
  });
});

describe("card data", () => {
  const pans = ["4000000000000002", "4242424242424242", "4242424242424241"];
  // A CVC is short: it counts only as a number of its own, not inside a timestamp or an id
  // (a Unix time such as 1796179870 holds "987"), the same rule as the workerd card-data scanner.
  const cvc = /(?<![0-9A-Za-z.-])987(?![0-9A-Za-z-])/;

  it("never appears in errors or in the stand-in's request log", async () => {
    const errors: unknown[] = [];
    const cards = [
      card("4000000000000002", "987"),
      card("4242424242424241", "987"),
      card("4242424242424242", "987"),
    ];
    for (const [i, c] of cards.entries()) {
      standin.failNext({ status: 503, path: "/v1/payment_methods" });
      await payments
        .authorize(input({ card: c, idempotencyKey: `pci-${keyCounter}-${i}` }))
        .catch((e: unknown) => errors.push(e));
      await payments.authorize(input({ card: c, idempotencyKey: `pci-${keyCounter}-${i}` }));
      await payments
        .authorize(input({ card: c, amount: 1, idempotencyKey: `pci-${keyCounter}-${i}` }))
        .catch((e: unknown) => errors.push(e));
    }
    // 3 outages + 2 key reuses; the Luhn failure's reuse replays its saved 402 (a decline, no error).
    expect(errors).toHaveLength(5);
    for (const e of errors)
      expect(e instanceof PaymentsUnavailableError || e instanceof PaymentsRejectedError).toBe(true);
    const dump = JSON.stringify([
      errors.map((e) => (e instanceof Error ? { ...e, message: e.message, stack: e.stack } : e)),
      standin.requests,
      standin.events,
      [...standin.paymentIntents.values()],
    ]);
    for (const pan of pans) expect(dump).not.toContain(pan);
    expect(dump).not.toMatch(cvc);
    const pmRequest = standin.requests.find((r) => r.path === "/v1/payment_methods");
    expect(pmRequest?.form["card[number]"]).toBe("[redacted]");
    expect(pmRequest?.form["card[cvc]"]).toBe("[redacted]");
  });
});
