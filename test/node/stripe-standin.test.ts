/**
 * The Stripe stand-in on the wire, as a raw HTTP client sees it: auth, error shapes, idempotent
 * replay, injected failures, and signed webhooks that the real Stripe SDK accepts.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStripeStandin, type StripeEvent, type StripeStandin } from "../../tools/stripe-standin";

const SECRET = "whsec_test_standin";
let standin: StripeStandin;
let receiver: Server;
const received: { signature: string; body: string }[] = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      received.push({ signature: String(req.headers["stripe-signature"]), body });
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const { port } = receiver.address() as AddressInfo;
  standin = await startStripeStandin({ webhookUrl: `http://127.0.0.1:${port}/`, webhookSecret: SECRET });
});
afterAll(async () => {
  await standin.close();
  await new Promise((resolve) => receiver.close(resolve));
});

const year = new Date().getUTCFullYear() + 2;
const cardForm = (number: string) =>
  `type=card&card[number]=${number}&card[exp_month]=12&card[exp_year]=${year}&card[cvc]=123`;

interface StripeJson {
  id?: string;
  error?: {
    type: string;
    code?: string;
    decline_code?: string;
    param?: string;
    payment_intent?: { status: string };
  };
  [field: string]: unknown;
}

async function post(path: string, form: string, key?: string, auth = "Bearer sk_test_123") {
  const headers: Record<string, string> = {
    "content-type": "application/x-www-form-urlencoded",
    authorization: auth,
  };
  if (key) headers["idempotency-key"] = key;
  const res = await fetch(`${standin.url}${path}`, { method: "POST", headers, body: form });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: JSON.parse(text) as StripeJson };
}

async function paymentMethod(number = "4242424242424242"): Promise<string> {
  return String((await post("/v1/payment_methods", cardForm(number))).json.id);
}

describe("requests", () => {
  it("refuses a request without a secret key, like Stripe", async () => {
    const res = await post("/v1/payment_methods", cardForm("4242424242424242"), undefined, "");
    expect(res.status).toBe(401);
    expect(res.json.error?.type).toBe("invalid_request_error");
  });

  it("answers with a Request-Id and Stripe-shaped objects", async () => {
    const pm = await post(
      "/v1/payment_methods",
      `${cardForm("5555555555554444")}&billing_details[address][postal_code]=11122`,
    );
    expect(pm.headers.get("request-id")).toMatch(/^req_/);
    expect(pm.json).toMatchObject({
      object: "payment_method",
      card: { brand: "mastercard", last4: "4444", exp_year: year },
      billing_details: { address: { postal_code: "11122" } },
    });
    expect(pm.text).not.toContain("5555555555554444");
  });

  it("creates and confirms a hold from bracket-encoded params", async () => {
    const pm = await paymentMethod();
    const form = `amount=900&currency=usd&payment_method=${pm}&confirm=true&capture_method=manual&allowed_payment_method_types[0]=card&payment_method_options[card][moto]=true&metadata[call]=c1`;
    const res = await post("/v1/payment_intents", form);
    expect(res.json).toMatchObject({
      object: "payment_intent",
      status: "requires_capture",
      amount: 900,
      amount_capturable: 900,
      amount_received: 0,
      metadata: { call: "c1" },
      payment_method: pm,
      payment_method_options: { card: { moto: true } },
    });
    expect(res.json.latest_charge).toMatch(/^ch_/);
  });

  it("declines with Stripe's 402 card_error shape and keeps the intent", async () => {
    const pm = await paymentMethod("4000000000009995");
    const res = await post(
      "/v1/payment_intents",
      `amount=100&currency=usd&payment_method=${pm}&confirm=true`,
    );
    expect(res.status).toBe(402);
    expect(res.json.error).toMatchObject({
      type: "card_error",
      code: "card_declined",
      decline_code: "insufficient_funds",
    });
    expect(res.json.error?.payment_intent?.status).toBe("requires_payment_method");
  });

  it("refuses a PaymentMethod used a second time, as Stripe does without a Customer", async () => {
    const pm = await paymentMethod();
    expect(
      (await post("/v1/payment_intents", `amount=100&currency=usd&payment_method=${pm}&confirm=true`)).status,
    ).toBe(200);
    const again = await post(
      "/v1/payment_intents",
      `amount=100&currency=usd&payment_method=${pm}&confirm=true`,
    );
    expect(again.json.error?.code).toBe("payment_method_unexpected_state");
  });

  it("names unknown parameters and missing objects", async () => {
    expect((await post("/v1/payment_intents", "amount=1&currency=usd&colour=red")).json.error).toMatchObject({
      code: "parameter_unknown",
      param: "colour",
    });
    const res = await fetch(`${standin.url}/v1/payment_intents/pi_nope`, {
      headers: { authorization: "Bearer sk_test_1" },
    });
    expect(res.status).toBe(404);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("resource_missing");
  });
});

describe("idempotency", () => {
  it("replays the first answer byte for byte", async () => {
    const pm = await paymentMethod();
    const form = `amount=300&currency=usd&payment_method=${pm}&confirm=true&capture_method=manual`;
    const first = await post("/v1/payment_intents", form, "k-replay");
    const second = await post("/v1/payment_intents", form, "k-replay");
    expect(second.text).toBe(first.text);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(second.headers.get("original-request")).toBe(first.headers.get("request-id"));
  });

  it("refuses the same key with other parameters", async () => {
    await post("/v1/payment_methods", cardForm("4242424242424242"), "k-mismatch");
    const res = await post("/v1/payment_methods", cardForm("5555555555554444"), "k-mismatch");
    expect(res.status).toBe(400);
    expect(res.json.error?.type).toBe("idempotency_error");
  });

  it("saves a 500 from an endpoint that began, as Stripe does: the same key replays it, a fresh key runs", async () => {
    standin.failNext({ status: 500, path: "/v1/payment_intents", saved: true });
    const pm = await paymentMethod();
    const form = `amount=700&currency=usd&payment_method=${pm}&capture_method=manual`;
    const first = await post("/v1/payment_intents", form, "k-saved-500");
    expect(first.status).toBe(500);
    expect(first.json.error?.type).toBe("api_error");
    const again = await post("/v1/payment_intents", form, "k-saved-500");
    expect(again.status).toBe(500); // replayed, for as long as the key lives
    const fresh = await post("/v1/payment_intents", form, "k-saved-500:t1");
    expect(fresh.status).toBe(200);
  });

  it("queues failures through its control route (for tests inside workerd)", async () => {
    const control = await fetch(`${standin.url}/_standin/fail-next`, {
      method: "POST",
      body: JSON.stringify({ status: 503, path: "/v1/payment_methods" }),
    });
    expect(control.status).toBe(204);
    expect((await post("/v1/payment_methods", cardForm("4242424242424242"), "k-control")).status).toBe(503);
    expect((await post("/v1/payment_methods", cardForm("4242424242424242"), "k-control")).status).toBe(200);
  });

  it("does not save an injected failure, so the retry runs", async () => {
    standin.failNext({ status: 500, count: 2, path: "/v1/payment_methods" });
    expect((await post("/v1/payment_methods", cardForm("4242424242424242"), "k-fail")).status).toBe(500);
    expect((await post("/v1/payment_methods", cardForm("4242424242424242"), "k-fail")).status).toBe(500);
    expect((await post("/v1/payment_methods", cardForm("4242424242424242"), "k-fail")).status).toBe(200);
  });
});

describe("webhooks", () => {
  it("sends each money movement as a signed event the Stripe SDK verifies", async () => {
    received.length = 0;
    const pm = await paymentMethod();
    const pi = await post(
      "/v1/payment_intents",
      `amount=800&currency=usd&payment_method=${pm}&confirm=true&capture_method=manual`,
    );
    const id = String(pi.json.id);
    await post(`/v1/payment_intents/${id}/capture`, "amount_to_capture=500");
    await post("/v1/refunds", `payment_intent=${id}`);
    const pm2 = await paymentMethod();
    const held = await post(
      "/v1/payment_intents",
      `amount=100&currency=usd&payment_method=${pm2}&confirm=true&capture_method=manual`,
    );
    await post(`/v1/payment_intents/${String(held.json.id)}/cancel`, "");
    await standin.webhooksIdle();

    const events: StripeEvent[] = [];
    for (const r of received) {
      events.push(
        (await Stripe.webhooks.constructEventAsync(r.body, r.signature, SECRET)) as unknown as StripeEvent,
      );
    }
    const types = events.map((e) => e.type).filter((t) => t !== "payment_intent.created");
    expect(types).toEqual([
      "payment_intent.amount_capturable_updated",
      "payment_intent.succeeded",
      "charge.refunded",
      "payment_intent.amount_capturable_updated",
      "payment_intent.canceled",
    ]);
    expect(events.find((e) => e.type === "charge.refunded")?.data.object).toMatchObject({
      payment_intent: id,
      amount_refunded: 500,
    });
    await expect(
      Stripe.webhooks.constructEventAsync(received[0]?.body ?? "", "t=1,v1=00", SECRET),
    ).rejects.toThrow();
  });
});

describe("Connect", () => {
  it("refuses a destination charge to an account that cannot take charges, like Stripe", async () => {
    const account = await post("/v1/accounts", "type=express&settings[payouts][schedule][interval]=daily");
    const pm = await paymentMethod();
    const refused = await post(
      "/v1/payment_intents",
      `amount=800&currency=usd&payment_method=${pm}&transfer_data[destination]=${String(account.json.id)}`,
    );
    expect(refused.status).toBe(400);
    expect(refused.json.error).toMatchObject({
      code: "insufficient_capabilities_for_transfer",
      param: "transfer_data[destination]",
    });
    const fee = await post("/v1/payment_intents", "amount=800&currency=usd&application_fee_amount=10");
    expect(fee.status).toBe(400);
    expect(fee.json.error?.param).toBe("application_fee_amount");
  });

  it("sends a signed account.updated when onboarding finishes, with the account's flags", async () => {
    received.length = 0;
    const account = await post("/v1/accounts", "type=express&business_profile[name]=Zora");
    const id = String(account.json.id);
    expect(account.json).toMatchObject({ charges_enabled: false, payouts_enabled: false });
    standin.setAccountFlags(id, { details_submitted: true, charges_enabled: true, payouts_enabled: true });
    await standin.webhooksIdle();
    const events = await Promise.all(
      received.map(
        async (r) =>
          (await Stripe.webhooks.constructEventAsync(r.body, r.signature, SECRET)) as unknown as StripeEvent,
      ),
    );
    const updated = events.filter((e) => e.type === "account.updated");
    expect(updated.map((e) => e.data.object)).toEqual([
      expect.objectContaining({ id, object: "account", charges_enabled: true, payouts_enabled: true }),
    ]);

    // Now chargeable: a partial capture books the gross to it and the re-sized fee to the platform.
    const pm = await paymentMethod();
    const pi = await post(
      "/v1/payment_intents",
      `amount=1000&currency=usd&payment_method=${pm}&confirm=true&capture_method=manual` +
        `&transfer_data[destination]=${id}&on_behalf_of=${id}&application_fee_amount=100`,
    );
    const captured = await post(
      `/v1/payment_intents/${String(pi.json.id)}/capture`,
      "amount_to_capture=400&application_fee_amount=40",
    );
    expect(captured.json).toMatchObject({ amount_received: 400, application_fee_amount: 40 });
    expect(standin.ledger(id)).toMatchObject({ balance: 360 });
    await post("/v1/refunds", `payment_intent=${String(pi.json.id)}&reverse_transfer=true`);
    // The transfer is reversed, the fee kept by the platform (refund_application_fee not asked).
    expect(standin.ledger(id).entries.map((e) => [e.type, e.amount])).toEqual([
      ["payment", 400],
      ["application_fee", -40],
      ["transfer_refund", -400],
    ]);
  });
});
