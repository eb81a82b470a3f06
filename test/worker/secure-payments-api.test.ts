/**
 * The payment-requests API through the real Worker, the call's Durable Object, Telnyx's webhooks
 * (faked at the wire), the Stripe stand-in and Turso: who may ask (the agent on the call, or an
 * admin), idempotency, the refusals as problem JSON, cancel before the caller starts, a whole
 * payment to its record, and the records' list, filters and CSV.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it, vi } from "vitest";
import { crmDeliveryKey } from "../../src/secure-payments/crm-activity";
import { ADMIN_TOKEN, api, expectProblem, json } from "./api-helpers";
import { agentRole } from "./support/advice-call";
import {
  agentCall,
  agentIsolated,
  backToAgent,
  DECLINED_CARD,
  keyCard,
  paymentOf,
  recorded,
  REQUEST,
  requestPayment,
  toCard,
  agentToken,
} from "./support/secure-payment-call";
import { postWebhook } from "./support/telnyx";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();

describe("asking for a payment", () => {
  it("the agent's request isolates their leg first; the same key again is the same request, another key is 409", async () => {
    const c = await agentCall("+15557100001");
    const before = telnyx.sent.length;
    const res = await requestPayment(c);
    const created = await json<Record<string, unknown>>(res, 201);
    expect(created).toMatchObject({
      call_id: c.call.sessionId,
      item: "Annual plan",
      amount: 1250,
      currency: "usd",
      status: "in_progress",
      stage: "isolating",
      agent_id: c.agentId,
      requested_by: "agent",
      card_last4: null,
    });
    expect(res.headers.get("location")).toMatch(new RegExp(`/payment-requests/${String(created.id)}$`));
    await c.call.stub.idle();
    // The agent leg goes into the private queue; nothing is said to the caller yet.
    const enqueued = telnyx.ofAction("enqueue");
    expect(enqueued.map((e) => [e.leg, e.body.queue_name])).toEqual([[c.agentLeg, created.id]]);
    expect(telnyx.sent.slice(before).map((s) => s.action)).not.toContain("gather_using_speak");

    const again = await json<Record<string, unknown>>(await requestPayment(c), 201);
    expect(again.id).toBe(created.id);
    await c.call.stub.idle();
    expect(telnyx.ofAction("enqueue")).toHaveLength(1);

    const second = await requestPayment(c, { ...REQUEST, amount: 900 }, "req-2");
    expect((await expectProblem(second, 409)).detail).toMatch(/already/i);

    // Isolated: recording paused, then the caller hears the amount.
    await agentIsolated(c, String(created.id));
    expect(telnyx.actions().indexOf("record_pause")).toBeGreaterThan(-1);
    expect(telnyx.actions().indexOf("record_pause")).toBeLessThan(
      telnyx.actions().lastIndexOf("gather_using_speak"),
    );
    const status = await paymentOf(c, String(created.id), c.token);
    expect(status.steps).toEqual({
      amount: "entering",
      number: "waiting",
      expiry: "waiting",
      cvc: "waiting",
      zip: "waiting",
    });
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("another agent's token is 403 and changes nothing; an admin may ask on any call", async () => {
    const c = await agentCall("+15557100002", {}, [{ name: "Anna" }, { name: "Bo" }]);
    const boToken = await agentToken(c.otherAgents[0]!);
    const notYours = await requestPayment(c, REQUEST, "req-bo", boToken);
    expect((await expectProblem(notYours, 403)).detail).toBeTruthy();
    await c.call.stub.idle();
    expect(telnyx.ofAction("enqueue")).toEqual([]);

    const byAdmin = await json<Record<string, unknown>>(
      await requestPayment(c, REQUEST, "req-admin", ADMIN_TOKEN),
      201,
    );
    expect(byAdmin).toMatchObject({ requested_by: "admin", agent_id: c.agentId, status: "in_progress" });
    // Reusing a key someone else used on this call tells another agent nothing: still 403.
    await expectProblem(await requestPayment(c, REQUEST, "req-admin", boToken), 403);
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("refuses a bad amount, another currency, an amount over the line's maximum, and a call that is not live", async () => {
    const c = await agentCall("+15557100003", { securePayments: { maxAmount: 5000 } });
    const fieldOf = async (body: unknown, key: string) =>
      (await expectProblem(await requestPayment(c, body, key), 422)).errors?.map((e) => e.field);
    expect(await fieldOf({ ...REQUEST, amount: 0 }, "k0")).toEqual(["amount"]);
    expect(await fieldOf({ ...REQUEST, amount: -5 }, "k1")).toEqual(["amount"]);
    expect(await fieldOf({ ...REQUEST, amount: 12.5 }, "k2")).toEqual(["amount"]);
    expect(await fieldOf({ ...REQUEST, amount: 5001 }, "k3")).toEqual(["amount"]);
    expect(await fieldOf({ ...REQUEST, currency: "eur" }, "k4")).toEqual(["currency"]);
    expect(await fieldOf({ ...REQUEST, item: "  " }, "k5")).toEqual(["item"]);
    await c.call.stub.idle();
    expect(telnyx.ofAction("enqueue")).toEqual([]);
    // The largest allowed amount is fine.
    await json(await requestPayment(c, { ...REQUEST, amount: 5000 }, "k6"), 201);
    await c.call.hangup(c.call.callerLeg, "caller");
    await c.call.hangup(c.agentLeg, agentRole(c.agentId));

    const ended = await requestPayment(c, REQUEST, "k7");
    expect((await expectProblem(ended, 409)).detail).toMatch(/ended/);
    const none = await api(`/api/v1/calls/no-such-call/payment-requests`, {
      method: "POST",
      body: REQUEST,
      headers: { "idempotency-key": "k8" },
    });
    await expectProblem(none, 404);
  });

  it("DELETE cancels before the caller confirms the amount; after that it is 409", async () => {
    const c = await agentCall("+15557100004");
    const created = await json<{ id: string }>(await requestPayment(c), 201);
    await agentIsolated(c, created.id);
    const url = `/api/v1/calls/${c.call.sessionId}/payment-requests/${created.id}`;
    const cancelled = await json<Record<string, unknown>>(
      await api(url, { method: "DELETE", token: c.token }),
      200,
    );
    expect(cancelled).toMatchObject({ id: created.id, status: "failed", reason: "cancelled_by_agent" });
    const done = await recorded(c, created.id);
    expect(done).toMatchObject({ status: "failed", reason: "cancelled_by_agent", card_last4: null });

    // A new request, confirmed by the caller: too late to take back.
    await backToAgent(c);
    const next = await json<{ id: string }>(await requestPayment(c, REQUEST, "req-2"), 201);
    await agentIsolated(c, next.id);
    await c.call.gathered("1");
    const late = await api(`/api/v1/calls/${c.call.sessionId}/payment-requests/${next.id}`, {
      method: "DELETE",
      token: c.token,
    });
    await expectProblem(late, 409);
    await c.call.hangup(c.call.callerLeg, "caller");
  });
});

describe("a payment to its record", () => {
  it("succeeds: Stripe charged once with the request's key (a redelivered confirm changes nothing), brand and last 4 shown, legs bridged again", async () => {
    const c = await agentCall("+15557100010");
    const id = await toCard(c);
    const lastConfirm = await keyCard(c);
    // Telnyx delivers the last confirm again, late: still one charge.
    await postWebhook(lastConfirm);
    await c.call.stub.idle();
    const done = await recorded(c, id);
    await postWebhook(lastConfirm);
    await c.call.stub.idle();
    expect(done).toMatchObject({
      status: "succeeded",
      reason: null,
      card_brand: "visa",
      card_last4: "4242",
      amount: 1250,
      currency: "usd",
      steps: { amount: "complete", number: "complete", expiry: "complete", cvc: "complete", zip: "complete" },
    });
    const intents = stripe.exchanges.filter((e) => e.method === "POST" && e.path === "/v1/payment_intents");
    expect(intents).toHaveLength(1);
    expect(intents[0]!.idempotencyKey).toContain(id);
    await backToAgent(c);
    const rebridge = telnyx.ofAction("bridge").at(-1);
    expect([rebridge?.leg, rebridge?.body.call_control_id]).toEqual([c.call.callerLeg, c.agentLeg]);
    expect(telnyx.actions()).toContain("record_resume");

    // The record: listed for the agent, filtered, and exported as CSV.
    const mine = await json<{ data: Record<string, unknown>[] }>(
      await api(`/api/v1/secure-payments?line_id=${c.lineId}`, { token: c.token }),
      200,
    );
    expect(mine.data).toEqual([expect.objectContaining({ id, status: "succeeded", agent_name: "Anna" })]);
    const failedOnly = await json<{ data: unknown[] }>(
      await api(`/api/v1/secure-payments?line_id=${c.lineId}&status=failed`),
      200,
    );
    expect(failedOnly.data).toEqual([]);
    const csv = await api(`/api/v1/secure-payments.csv?line_id=${c.lineId}`);
    expect(csv.status).toBe(200);
    const [header, row, ...rest] = (await csv.text()).trim().split(/\r?\n/);
    expect(header).toContain("amount_minor,amount,currency,status");
    expect(row).toContain(`${id},`);
    expect(row).toContain(",1250,12.50,usd,succeeded,");
    expect(row).toContain(",visa,4242,");
    expect(rest).toEqual([]);
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("a declined card is a failed record with the reason, no brand or last 4, and the caller goes back to the agent", async () => {
    const c = await agentCall("+15557100011");
    const id = await toCard(c);
    await keyCard(c, DECLINED_CARD);
    const done = await recorded(c, id);
    expect(done).toMatchObject({ status: "failed", reason: "declined", card_brand: null, card_last4: null });
    await backToAgent(c);
    expect(telnyx.ofAction("bridge").at(-1)).toMatchObject({ leg: c.call.callerLeg });
    const failed = await json<{ data: Record<string, unknown>[] }>(
      await api(`/api/v1/secure-payments?line_id=${c.lineId}&status=failed`),
      200,
    );
    expect(failed.data.map((r) => r.id)).toEqual([id]);
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("the agent hanging up mid-capture charges nothing and records why", async () => {
    const c = await agentCall("+15557100012");
    const id = await toCard(c);
    await c.call.gathered("4242424242424242");
    await c.call.hangup(c.agentLeg, agentRole(c.agentId));
    const done = await recorded(c, id);
    expect(done).toMatchObject({ status: "failed", reason: "agent_hung_up", left_by: "agent" });
    expect(stripe.exchanges.filter((e) => e.path === "/v1/payment_intents")).toEqual([]);
    await c.call.hangup(c.call.callerLeg, "caller");
  });

  it("an agent token lists only its own agent's records and may not ask for another's", async () => {
    const c = await agentCall("+15557100013", {}, [{ name: "Anna" }, { name: "Bo" }]);
    const boToken = await agentToken(c.otherAgents[0]!);
    await expectProblem(await api(`/api/v1/secure-payments?agent_id=${c.agentId}`, { token: boToken }), 403);
    const bo = await json<{ data: unknown[] }>(
      await api(`/api/v1/secure-payments?line_id=${c.lineId}`, { token: boToken }),
      200,
    );
    expect(bo.data).toEqual([]);
    await c.call.hangup(c.call.callerLeg, "caller");
    await c.call.hangup(c.agentLeg, agentRole(c.agentId));
  });
});

describe("the record's CRM activity", () => {
  const crm = inject("crmUrl");
  const activityOf = async (id: string) => {
    const got = await json<{
      data: { transactionId: string; deliveries: number; body: Record<string, unknown> }[];
    }>(await fetch(`${crm}/_standin/activities`), 200);
    return got.data.find((a) => a.transactionId === id) ?? null;
  };

  it("is signed and retried after a CRM failure until acknowledged, and never delivered twice", async () => {
    const c = await agentCall("+15557100020");
    const id = await toCard(c);
    const key = crmDeliveryKey(id);
    await json(
      await fetch(`${crm}/_standin/fail-next`, {
        method: "POST",
        body: JSON.stringify({ status: 503, key }),
      }),
      200,
    );
    await keyCard(c);
    await recorded(c, id);
    const delivery = env.WEBHOOK_DELIVERY.get(env.WEBHOOK_DELIVERY.idFromName(key));
    await vi.waitFor(async () =>
      expect(await delivery.status()).toMatchObject({ state: "pending", attempts: 1, lastStatus: 503 }),
    );
    expect(await activityOf(id)).toBeNull();
    // The backoff's alarm redelivers: the CRM checks our signature and acknowledges.
    expect(await runDurableObjectAlarm(delivery)).toBe(true);
    expect(await delivery.status()).toMatchObject({ state: "delivered", attempts: 2 });
    const got = await activityOf(id);
    expect(got?.deliveries).toBe(1);
    expect(got?.body.activity).toEqual({
      agent: "Anna",
      product_name: "Annual plan",
      transaction_id: id,
      amount_charged: expect.stringContaining("12.50") as string,
      payment_status: "Success",
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/) as string,
    });
    // Nothing left to send: no second delivery.
    expect(await runDurableObjectAlarm(delivery)).toBe(false);
    expect((await activityOf(id))?.deliveries).toBe(1);
    await backToAgent(c);
    await c.call.hangup(c.call.callerLeg, "caller");
  });
});

describe("the API's description and the records' filters", () => {
  it("documents the payment-request and record routes", async () => {
    const doc = await json<{ paths: Record<string, Record<string, unknown>> }>(
      await api("/api/openapi.json"),
      200,
    );
    expect(Object.keys(doc.paths["/v1/calls/{callId}/payment-requests"] ?? {})).toEqual(["post"]);
    expect(Object.keys(doc.paths["/v1/calls/{callId}/payment-requests/{requestId}"] ?? {}).sort()).toEqual([
      "delete",
      "get",
    ]);
    expect(doc.paths["/v1/secure-payments"]).toHaveProperty("get");
    expect(doc.paths["/v1/secure-payments.csv"]).toHaveProperty("get");
  });

  it("filters by agent and by a finished_at range; a bad filter is 422", async () => {
    const c = await agentCall("+15557100021");
    const created = await json<{ id: string }>(await requestPayment(c), 201);
    await agentIsolated(c, created.id);
    await api(`/api/v1/calls/${c.call.sessionId}/payment-requests/${created.id}`, { method: "DELETE" });
    await recorded(c, created.id);
    const ids = async (query: string) =>
      (await json<{ data: { id: string }[] }>(await api(`/api/v1/secure-payments?${query}`), 200)).data.map(
        (r) => r.id,
      );
    expect(await ids(`agent_id=${c.agentId}`)).toEqual([created.id]);
    expect(await ids(`agent_id=${c.agentId}&from=2000-01-01&to=2999-12-31`)).toEqual([created.id]);
    expect(await ids(`agent_id=${c.agentId}&to=2000-01-01`)).toEqual([]);
    expect(await ids(`agent_id=${c.agentId}&from=2999-01-01`)).toEqual([]);
    expect(await ids(`agent_id=${c.agentId}&status=succeeded`)).toEqual([]);
    await expectProblem(await api(`/api/v1/secure-payments?status=maybe`), 422);
    await c.call.hangup(c.call.callerLeg, "caller");
  });
});
