/**
 * The agent console as the Worker serves it: one self-contained page (no other origin, a CSP that
 * lets only its own inline script run), and the live stream a browser opens with its token as a
 * WebSocket subprotocol: accepted for the agent on the call, refused for a wrong token, and
 * answered with the subprotocol the browser needs to see.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { expectProblem, json, TEST_CLIENT_IP } from "./api-helpers";
import { agentRole } from "./support/advice-call";
import { agentCall, agentIsolated, agentToken, requestPayment } from "./support/secure-payment-call";
import { useWireFakes } from "./support/wire-fakes";

useWireFakes();

function openStream(callId: string, protocols: string) {
  return exports.default.fetch(`http://meterline.test/api/v1/calls/${callId}/live/stream`, {
    headers: {
      upgrade: "websocket",
      "sec-websocket-protocol": protocols,
      "cf-connecting-ip": TEST_CLIENT_IP,
    },
  });
}

describe("the console page", () => {
  it("is one page with the sign-in form, nothing from another origin, and only its own inline script allowed", async () => {
    const res = await exports.default.fetch("http://meterline.test/console");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain('id="signin-form"');
    expect(html).toContain("Agent token");
    expect(html).toContain("Request Payment");
    expect(html).toContain("Send to Pay");
    // No CDN, no external script or stylesheet: works on a fresh clone with no internet.
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//);
    expect(html).not.toMatch(/<script[^>]+src=/);
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /script-src 'nonce-([a-f0-9]+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(html).toContain(`<script nonce="${nonce}">`);
    expect(csp).toContain("default-src 'none'");
    // A second load gets a fresh nonce.
    const again = (await exports.default.fetch("http://meterline.test/console")).headers.get(
      "content-security-policy",
    );
    expect(again).not.toBe(csp);
  });
});

describe("the live stream from a browser", () => {
  it("takes the agent's token as a subprotocol, answers meterline.live, and pushes the payment's steps", async () => {
    const c = await agentCall("+15557200001");
    const res = await openStream(c.call.sessionId, `meterline.live, meterline.bearer.${c.token}`);
    expect(res.status).toBe(101);
    expect(res.headers.get("sec-websocket-protocol")).toBe("meterline.live");
    const ws = res.webSocket!;
    const frames: { detail: Record<string, unknown> | null; caller: string }[] = [];
    ws.addEventListener("message", (m) => {
      if (m.data !== "pong") frames.push(JSON.parse(String(m.data)) as (typeof frames)[number]);
    });
    ws.accept();
    await vi.waitFor(() => expect(frames.length).toBeGreaterThan(0));
    expect(frames[0]).toMatchObject({
      caller: "***0001",
      detail: { pay_enabled: true, pay_currency: "usd", pay_currency_exponent: 2 },
    });

    const created = await json<{ id: string }>(await requestPayment(c), 201);
    await agentIsolated(c, created.id);
    await vi.waitFor(() =>
      expect(frames.at(-1)?.detail).toMatchObject({ payment_id: created.id, step_amount: "entering" }),
    );
    await c.call.gathered("1");
    await vi.waitFor(() =>
      expect(frames.at(-1)?.detail).toMatchObject({ step_amount: "complete", step_number: "entering" }),
    );
    ws.close();
    await c.call.hangup(c.call.callerLeg, "caller");
    await c.call.hangup(c.agentLeg, agentRole(c.agentId));
  });

  it("refuses a wrong token in the subprotocol, and another agent's token learns nothing of the call", async () => {
    const c = await agentCall("+15557200002", {}, [{ name: "Anna" }, { name: "Bo" }]);
    await expectProblem(await openStream(c.call.sessionId, "meterline.live, meterline.bearer.nope"), 401);
    const bo = await agentToken(c.otherAgents[0]!);
    await expectProblem(await openStream(c.call.sessionId, `meterline.live, meterline.bearer.${bo}`), 404);
    await c.call.hangup(c.call.callerLeg, "caller");
    await c.call.hangup(c.agentLeg, agentRole(c.agentId));
  });
});
