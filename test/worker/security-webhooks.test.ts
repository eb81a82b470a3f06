/**
 * Every signed inbound webhook (Telnyx, Stripe, the billing service) × {a request signed more than
 * 300 s ago, replayed now; a valid signature over a changed body; (our own schemes) a timestamp
 * more than 300 s ahead} → 401 problem JSON, and nothing happened. The same body with a fresh
 * signature is then accepted, so each refusal is the signature's doing.
 */
import { env, exports } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { schema } from "../../src/db/client";
import { SIGNATURE_HEADER, signatureHeader } from "../../src/webhooks/signature";
import { expectProblem } from "./api-helpers";
import { db, seedLine } from "./support/seed";
import { envelope, signedHeaders } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx } = useWireFakes();
const WINDOW_SEC = 300;
/** Seconds either side of the window's edge, so the route's clock ticking on meanwhile decides nothing. */
const MARGIN_SEC = 10;
const nowSec = () => Math.floor(Date.now() / 1000);

async function hmacHeader(secret: string, body: string, t: number): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`));
  return `t=${t},v1=${[...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

interface Sender {
  route: string;
  /** A body the route would act on, and how to tell whether it did. */
  prepare(): Promise<{
    body: string;
    tampered: string;
    accepted: number;
    /** Whether the route acted (absent: the accepted status alone tells). */
    happened?: () => Promise<boolean>;
  }>;
  sign(body: string, t: number): Promise<Record<string, string>>;
  /** Stripe's SDK only bounds a timestamp's age; a future one needs the secret to forge anyway. */
  refusesFuture: boolean;
}

const senders: Sender[] = [
  {
    route: "/webhooks/telnyx",
    refusesFuture: true,
    async prepare() {
      const line = await seedLine("demo", {});
      const sessionId = `sec-hook-${crypto.randomUUID()}`;
      const payload = {
        call_control_id: `v3:sec-${sessionId.slice(9, 17)}`,
        call_leg_id: "leg",
        call_session_id: sessionId,
        from: "+15550001234",
        to: line.number,
        direction: "incoming",
        state: "parked",
      };
      const body = JSON.stringify(envelope("call.initiated", payload));
      return {
        body,
        tampered: body.replace("+15550001234", "+15550009999"),
        accepted: 200,
        happened: async () =>
          telnyx.sent.length > 0 || (await env.CALL_SESSION.getByName(sessionId).inspect()) !== null,
      };
    },
    sign: (body, t) => signedHeaders(body, t),
  },
  {
    route: "/webhooks/stripe",
    refusesFuture: false,
    prepare() {
      const id = `evt_${crypto.randomUUID().replaceAll("-", "")}`;
      const body = JSON.stringify({
        id,
        object: "event",
        api_version: "2026-10-28.endive",
        created: nowSec(),
        data: {
          object: { id: "pi_sec", object: "payment_intent", amount_received: 100, status: "succeeded" },
        },
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        type: "payment_intent.succeeded",
      });
      const happened = async () =>
        (await db().select().from(schema.paymentEvents).where(eq(schema.paymentEvents.id, id))).length > 0;
      return Promise.resolve({
        body,
        tampered: body.replace('"amount_received":100', '"amount_received":99999'),
        accepted: 200,
        happened,
      });
    },
    sign: async (body, t) => ({
      "content-type": "application/json",
      "stripe-signature": await hmacHeader("whsec_test_meterline", body, t),
    }),
  },
  {
    route: "/webhooks/billing",
    refusesFuture: true,
    prepare() {
      // An invoice nobody has: a correctly signed callback gets past the signature to the booking
      // step, which answers 422; a refused one never gets that far.
      const body = JSON.stringify({
        id: `evt_${crypto.randomUUID()}`,
        type: "invoice.paid",
        data: {
          invoice_id: `inv_none_${crypto.randomUUID().slice(0, 8)}`,
          amount: 100,
          currency: "sek",
          paid_at: new Date().toISOString(),
        },
      });
      return Promise.resolve({ body, tampered: body.replace('"amount":100', '"amount":1'), accepted: 422 });
    },
    sign: async (body, t) => ({
      "content-type": "application/json",
      [SIGNATURE_HEADER]: await signatureHeader("bss_test_meterline", body, t),
    }),
  },
];

const post = (route: string, body: string, headers: Record<string, string>) =>
  exports.default.fetch(`http://meterline.test${route}`, { method: "POST", body, headers });

describe("signed webhooks: replays and changed bodies", () => {
  it.each(senders.map((s) => [s.route, s] as const))("%s", async (_route, sender) => {
    const { body, tampered, happened, accepted } = await sender.prepare();
    const now = nowSec();
    const refusals: [string, string, Record<string, string>][] = [
      ["replayed 310 s after signing", body, await sender.sign(body, now - WINDOW_SEC - MARGIN_SEC)],
      ["signed, then the body changed", tampered, await sender.sign(body, now)],
    ];
    if (sender.refusesFuture)
      refusals.push(["stamped 310 s ahead", body, await sender.sign(body, now + WINDOW_SEC + MARGIN_SEC)]);
    for (const [label, sent, headers] of refusals) {
      const res = await post(sender.route, sent, headers);
      expect(res.status, label).toBe(401);
      expect((await expectProblem(res, 401)).title).toBe("Unauthorized");
      if (happened) expect(await happened(), `${label}: nothing may happen`).toBe(false);
    }
    // Inside the window, a signature 290 s old is still good: the refusals above were the window's.
    const res = await post(sender.route, body, await sender.sign(body, now - WINDOW_SEC + MARGIN_SEC));
    expect(res.status).toBe(accepted);
    await res.body?.cancel();
    if (happened) await expect.poll(happened).toBe(true);
  });
});
