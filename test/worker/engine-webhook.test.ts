/**
 * The Telnyx webhook route: only correctly signed, fresh webhooks reach a call; anything else is a
 * 401 problem (Telnyx does not retry 4xx). Unknown event types are acknowledged and ignored.
 */
import { env } from "cloudflare:workers";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { TestCall } from "./support/call";
import { seedLine } from "./support/seed";
import { envelope, FakeTelnyx, postWebhook, signedHeaders } from "./support/telnyx";

let telnyx: FakeTelnyx;
beforeEach(() => {
  telnyx = new FakeTelnyx();
  telnyx.install();
});
afterEach(() => vi.restoreAllMocks());

const initiated = (sessionId: string, to: string) =>
  envelope("call.initiated", {
    call_control_id: `v3:${sessionId}`,
    call_leg_id: `leg-${sessionId}`,
    call_session_id: sessionId,
    connection_id: "conn-test",
    from: "+15557654321",
    to,
    direction: "incoming",
    state: "parked",
  });

describe("POST /webhooks/telnyx signatures", () => {
  it("accepts a valid signature and the call is answered", async () => {
    const line = await seedLine("demo", {});
    const sessionId = `sig-ok-${crypto.randomUUID()}`;
    const res = await postWebhook(initiated(sessionId, line.number));
    expect(res.status).toBe(200);
    await env.CALL_SESSION.getByName(sessionId).idle();
    expect(telnyx.ofAction("answer")).toHaveLength(1);
  });

  it.each([
    [
      "tampered body",
      async (raw: string) => ({ raw: raw.replace("+1555", "+1666"), headers: await signedHeaders(raw) }),
    ],
    [
      "stale timestamp",
      async (raw: string) => ({
        raw,
        headers: await signedHeaders(raw, Math.floor(Date.now() / 1000) - 301),
      }),
    ],
    [
      "missing signature",
      (raw: string) => Promise.resolve({ raw, headers: { "content-type": "application/json" } }),
    ],
    [
      "signature by another key",
      async (raw: string) => {
        const other = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, [
          "sign",
        ])) as CryptoKeyPair;
        const ts = Math.floor(Date.now() / 1000);
        const sig = await crypto.subtle.sign(
          { name: "Ed25519" },
          other.privateKey,
          new TextEncoder().encode(`${ts}|${raw}`),
        );
        return {
          raw,
          headers: {
            "telnyx-timestamp": String(ts),
            "telnyx-signature-ed25519": btoa(String.fromCharCode(...new Uint8Array(sig))),
          },
        };
      },
    ],
  ])("rejects a %s with a 401 problem and touches no call", async (_name, forge) => {
    const line = await seedLine("demo", {});
    const sessionId = `sig-bad-${crypto.randomUUID()}`;
    const { raw, headers } = await forge(JSON.stringify(initiated(sessionId, line.number)));
    const { exports } = await import("cloudflare:workers");
    const res = await exports.default.fetch("http://x/webhooks/telnyx", {
      method: "POST",
      body: raw,
      headers,
    });
    expect(res.status).toBe(401);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const problem = await res.json<{ status: number; title: string }>();
    expect(problem).toMatchObject({ status: 401, title: "Unauthorized" });
    expect(telnyx.sent).toHaveLength(0);
    expect(await env.CALL_SESSION.getByName(sessionId).inspect()).toBeNull();
  });

  it("acknowledges an event type it does not use, without acting", async () => {
    const res = await postWebhook(
      envelope("call.machine.detection.ended", { call_control_id: "x", call_session_id: "y" }),
    );
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ignored: "call.machine.detection.ended" });
    expect(telnyx.sent).toHaveLength(0);
  });

  it("rejects a signed body that is not a Call Control webhook with a 400 problem", async () => {
    const res = await postWebhook({ hello: "world" });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("a number nobody serves hears it is not in service, then the call is hung up", async () => {
    const call = new TestCall("+15557654321", "+19990000000");
    await call.start();
    expect(telnyx.actions()).toEqual(["answer"]);
    await call.answered();
    expect(telnyx.ofAction("speak")[0]?.body.payload).toMatch(/not in service/);
    await call.speakEnded();
    expect(telnyx.actions()).toEqual(["answer", "speak", "hangup"]);
  });
});
