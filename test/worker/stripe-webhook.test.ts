/**
 * POST /webhooks/stripe in workerd, through the real route, on the real libSQL server with the real
 * migrations: Stripe-signed events are recorded once each; unsigned or tampered ones are refused.
 */
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb, schema } from "../../src/db/client";
import { seedLine } from "./support/seed";

const SECRET = "whsec_test_meterline";

async function sign(body: string, secret = SECRET, t = Math.floor(Date.now() / 1000)): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`));
  const hex = [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `t=${t},v1=${hex}`;
}

function event(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  return JSON.stringify({
    id: `evt_${crypto.randomUUID().replaceAll("-", "")}`,
    object: "event",
    api_version: "2026-10-28.endive",
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

function post(body: string, signature?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (signature !== undefined) headers["stripe-signature"] = signature;
  return exports.default.fetch("http://meterline.test/webhooks/stripe", { method: "POST", headers, body });
}

async function rowsFor(eventId: string) {
  const db = createDb(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN);
  return db.select().from(schema.paymentEvents).where(eq(schema.paymentEvents.id, eventId));
}

const idOf = (body: string) => (JSON.parse(body) as { id: string }).id;

describe("Stripe webhooks", () => {
  it("records a signed event with the payment it is about", async () => {
    const body = event("payment_intent.amount_capturable_updated", {
      id: "pi_hold1",
      object: "payment_intent",
      amount: 5000,
      amount_capturable: 5000,
      status: "requires_capture",
    });
    const res = await post(body, await sign(body));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
    expect(await rowsFor(idOf(body))).toEqual([
      expect.objectContaining({
        type: "payment_intent.amount_capturable_updated",
        providerPaymentId: "pi_hold1",
        amount: 5000,
        status: "requires_capture",
      }),
    ]);
  });

  it("records a redelivered event once and still answers 200", async () => {
    const body = event("charge.refunded", {
      id: "ch_1",
      object: "charge",
      payment_intent: "pi_refunded",
      amount: 900,
      amount_refunded: 400,
      status: "succeeded",
    });
    expect((await post(body, await sign(body))).status).toBe(200);
    const again = await post(body, await sign(body));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ received: true });
    const rows = await rowsFor(idOf(body));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ providerPaymentId: "pi_refunded", amount: 400 });
  });

  it.each([
    ["no signature", undefined, 401],
    ["a signature made with another secret", "other", 401],
    ["a garbled signature", "garbled", 401],
  ])("refuses an event with %s, as problem+json, and records nothing", async (_name, variant, status) => {
    const body = event("payment_intent.succeeded", {
      id: "pi_x",
      object: "payment_intent",
      amount_received: 1,
      status: "succeeded",
    });
    const signature =
      variant === "other"
        ? await sign(body, "whsec_someone_else")
        : variant === "garbled"
          ? "t=1,v1=abc"
          : undefined;
    const res = await post(body, signature);
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ status });
    expect(await rowsFor(idOf(body))).toHaveLength(0);
  });

  it("keeps the API's payment rows at Stripe's truth: a refund made at Stripe shows; an older event changes nothing", async () => {
    const db = createDb(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN);
    const callId = `sess-truth-${crypto.randomUUID()}`;
    const pi = `pi_truth_${crypto.randomUUID().slice(0, 8)}`;
    const line = await seedLine(
      "advice",
      { billing: "flat_rate", currency: "usd", flatFee: 2500, maxMinutes: 5, welcomeText: "Hi." },
      [],
    );
    await db.insert(schema.calls).values({
      id: callId,
      lineId: line.id,
      product: "advice",
      callerNumber: "+15550001111",
      calledNumber: line.number,
      startedAt: Date.now(),
      endedAt: Date.now(),
      currency: "usd",
      status: "completed",
    });
    await db.insert(schema.payments).values({
      id: `${pi}:charge`,
      callId,
      providerPaymentId: pi,
      kind: "charge",
      amount: 2500,
      currency: "usd",
      status: "succeeded",
      at: Date.now(),
    });
    const now = Math.floor(Date.now() / 1000);
    const refunded = event(
      "charge.refunded",
      {
        id: "ch_t",
        object: "charge",
        payment_intent: pi,
        amount: 2500,
        amount_refunded: 2500,
        refunded: true,
        status: "succeeded",
      },
      now,
    );
    expect((await post(refunded, await sign(refunded))).status).toBe(200);
    const stale = event(
      "payment_intent.succeeded",
      { id: pi, object: "payment_intent", status: "succeeded" },
      now - 60,
    );
    expect((await post(stale, await sign(stale))).status).toBe(200);
    const res = await exports.default.fetch(`http://meterline.test/api/v1/payments?call_id=${callId}`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
    });
    const page = await res.json<{ data: Record<string, unknown>[] }>();
    expect(page.data).toEqual([
      expect.objectContaining({
        provider_payment_id: pi,
        status: "succeeded",
        stripe_status: "refunded",
        amount_refunded: 2500,
      }),
    ]);
  });

  it("refuses a body changed after signing", async () => {
    const body = event("payment_intent.succeeded", {
      id: "pi_y",
      object: "payment_intent",
      amount_received: 100,
      status: "succeeded",
    });
    const signature = await sign(body);
    const res = await post(body.replace('"amount_received":100', '"amount_received":999'), signature);
    expect(res.status).toBe(401);
    expect(await rowsFor(idOf(body))).toHaveLength(0);
  });
});
