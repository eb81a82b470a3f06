/**
 * Card data never leaves the call's memory in a secure payment either: whole payments (success,
 * a re-entered number, a decline, * mid-CVC, the caller hanging up mid-card) run with distinctive
 * test values, and an assisted payment (the agent on the line asking for each field, a decline
 * and the card again), while every console line and every live WebSocket frame is captured; then the call
 * objects' storage (mid-entry too), their outboxes, Turso (the records included), every Telnyx
 * request, the logs, the frames and every body the CRM stand-in received are scanned for them.
 */
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { securePayments } from "../../src/secure-payments/schema";
import { api, json } from "./api-helpers";
import { agentRole } from "./support/advice-call";
import { cardDataIn, dumpObjectStorage, dumpTurso, type Secret } from "./support/advice-scan";
import { StripeTap } from "./support/advice-stripe";
import { db } from "./support/seed";
import {
  agentCall,
  backToAgent,
  recorded,
  toCard,
  type AgentCall,
  type PayCard,
} from "./support/secure-payment-call";
import { FakeTelnyx } from "./support/telnyx";
import { captureConsole } from "./support/console-capture";
import { askedFor, assistedCall } from "./support/assisted-call";
import { requestPayment } from "./support/secure-payment-call";

/** Distinctive expiry, CVC and ZIP, so any copy of them (or their spoken forms) is found. */
const VISA: PayCard = { number: "4242424242424242", expiry: "0931", cvc: "847", zip: "60614" };
const DECLINED: PayCard = { ...VISA, number: "4000000000000002" };
const WRONG = "4000056655665556";
const SECRETS: Secret[] = [
  { label: "visa", digits: VISA.number, kind: "pan" },
  { label: "declined pan", digits: DECLINED.number, kind: "pan" },
  { label: "re-entered pan", digits: WRONG, kind: "pan" },
  { label: "cvc", digits: VISA.cvc, kind: "cvc" },
  { label: "expiry", digits: VISA.expiry, kind: "expiry" },
  { label: "zip", digits: VISA.zip, kind: "cvc" },
];

let telnyx: FakeTelnyx;
let stripe: StripeTap;
const logs: string[] = [];
const frames: string[] = [];
const midCall: string[] = [];
const calls: Record<string, AgentCall> = {};
const ids: string[] = [];

/** Every frame the call's live stream pushes, as the console would receive it. */
async function watch(c: AgentCall) {
  const res = await api(`/api/v1/calls/${c.call.sessionId}/live/stream`, {
    headers: { upgrade: "websocket" },
  });
  const ws = res.webSocket!;
  ws.addEventListener("message", (m) => void frames.push(String(m.data)));
  ws.accept();
}

async function snapshot(c: AgentCall) {
  midCall.push(
    (await dumpObjectStorage(c.call.stub)).text,
    ...((await c.call.stub.inspect())?.outboxJson ?? []),
  );
}

/** A field keyed (caught mid-entry, before its confirm), then confirmed with 1. */
async function field(c: AgentCall, digits: string) {
  c.call.advance(4_000);
  for (const digit of digits) await c.call.send("call.dtmf.received", c.call.callerLeg, "caller", { digit });
  await c.call.gathered(digits);
  await snapshot(c);
  await c.call.gathered("1");
}

async function start(name: string, n: number) {
  const c = await agentCall(`+1555779${String(n).padStart(4, "0")}`);
  calls[name] = c;
  await watch(c);
  const id = await toCard(c);
  ids.push(id);
  return { c, id };
}

beforeAll(async () => {
  telnyx = new FakeTelnyx();
  telnyx.install();
  stripe = new StripeTap();
  stripe.install();
  captureConsole(logs);

  let { c, id } = await start("success", 1);
  for (const digits of [VISA.number, VISA.expiry, VISA.cvc, VISA.zip]) await field(c, digits);
  await recorded(c, id);
  await backToAgent(c);
  await c.call.hangup(c.call.callerLeg, "caller");
  await c.call.hangup(c.agentLeg, agentRole(c.agentId));

  ({ c, id } = await start("re-entered number", 2));
  await c.call.gathered(WRONG);
  await snapshot(c);
  await c.call.gathered("2");
  for (const digits of [VISA.number, VISA.expiry, VISA.cvc, VISA.zip]) await field(c, digits);
  await recorded(c, id);
  await backToAgent(c);
  await c.call.hangup(c.call.callerLeg, "caller");

  ({ c, id } = await start("declined", 3));
  for (const digits of [DECLINED.number, DECLINED.expiry, DECLINED.cvc, DECLINED.zip]) await field(c, digits);
  await recorded(c, id);
  await backToAgent(c);
  await c.call.hangup(c.call.callerLeg, "caller");

  ({ c, id } = await start("star mid-CVC", 4));
  await field(c, VISA.number);
  await field(c, VISA.expiry);
  await c.call.gathered(`${VISA.cvc.slice(0, 2)}*`);
  await recorded(c, id);
  await backToAgent(c);
  await c.call.hangup(c.call.callerLeg, "caller");

  ({ c, id } = await start("caller hangs up mid-card", 5));
  await field(c, VISA.number);
  await c.call.gathered(VISA.expiry);
  await snapshot(c);
  await c.call.hangup(c.call.callerLeg, "caller");
  await recorded(c, id);

  // Assisted: the agent stays on the line and asks for each field; a decline, then the card again.
  const a = await assistedCall("+15557790006");
  calls["assisted"] = a;
  await watch(a);
  const { id: assisted } = await json<{ id: string }>(await requestPayment(a), 201);
  ids.push(assisted);
  await a.call.bridged(a.call.callerLeg, "caller");
  await a.call.gathered("1");
  await a.call.speakEnded();
  for (const [n, card] of [DECLINED, VISA].entries()) {
    for (const [step, digits] of [
      ["number", card.number],
      ["expiry", card.expiry],
      ["cvc", card.cvc],
      ["zip", card.zip],
    ] as const) {
      await askedFor(a, assisted, step, `pci-${n}-${step}`);
      await field(a, digits);
    }
    await askedFor(a, assisted, "charge", `pci-${n}-charge`);
    await a.call.stub.idle();
    if (card === DECLINED) await a.call.speakEnded();
  }
  await recorded(a, assisted);
  await backToAgent(a);
  await a.call.hangup(a.call.callerLeg, "caller");
}, 120_000);

afterAll(() => {
  stripe.uninstall();
  vi.restoreAllMocks();
});

describe("secure payments: the scan ran real payments", () => {
  it("each ended in the record it should, brand and last 4 only for the one that went through", async () => {
    const rows = await Promise.all(
      ids.map(async (id) => (await db().select().from(securePayments)).find((r) => r.id === id)),
    );
    expect(rows.map((r) => [r?.status, r?.reason, r?.cardLast4])).toEqual([
      ["succeeded", null, "4242"],
      ["succeeded", null, "4242"],
      ["failed", "declined", null],
      ["failed", "cancelled_by_caller", null],
      ["failed", "caller_hung_up", null],
      ["succeeded", null, "4242"],
    ]);
    expect(midCall.length).toBeGreaterThanOrEqual(10);
    expect(frames.some((f) => f.includes('"step_cvc":"entering"'))).toBe(true);
    // The assisted run: the console saw the field asked for, and the declined number marked failed.
    expect(frames.some((f) => f.includes('"payment_field":"zip"'))).toBe(true);
    expect(frames.some((f) => f.includes('"step_number":"failed"'))).toBe(true);
  });
});

describe("secure payments: no card number, expiry, CVC or ZIP anywhere", () => {
  it("in the call's storage or outbox caught in the middle of card entry", () => {
    expect(midCall.flatMap((text) => cardDataIn(text, SECRETS))).toEqual([]);
  });

  it("in any call object's storage after the payment", async () => {
    for (const [name, c] of Object.entries(calls)) {
      const { text } = await dumpObjectStorage(c.call.stub);
      expect(cardDataIn(text, SECRETS), name).toEqual([]);
      expect(
        cardDataIn((await dumpObjectStorage(env.LINE_SESSION.getByName(c.lineId))).text, SECRETS),
        name,
      ).toEqual([]);
    }
  });

  it("in any Turso table, the secure-payment records included", async () => {
    const { text } = await dumpTurso();
    const records = JSON.stringify(await db().select().from(securePayments));
    expect(records).toContain('"cardLast4":"4242"');
    expect(cardDataIn(`${text}\n${records}`, SECRETS)).toEqual([]);
  });

  it("in any request to Telnyx (prompts and read-backs included)", () => {
    const text = JSON.stringify([telnyx.sent, telnyx.attempts]);
    expect(text).toContain("a card ending in 4 2 4 2");
    expect(cardDataIn(text, SECRETS)).toEqual([]);
  });

  it("in any log line", () => {
    expect(logs.filter((l) => l.includes('"msg":"call.transition"')).length).toBeGreaterThan(50);
    expect(logs.filter((l) => cardDataIn(l, SECRETS).length > 0)).toEqual([]);
  });

  it("in any WebSocket frame the console would receive", () => {
    expect(frames.length).toBeGreaterThan(20);
    expect(frames.filter((f) => cardDataIn(f, SECRETS).length > 0)).toEqual([]);
  });

  it("in any body the CRM received", async () => {
    const crm = inject("crmUrl");
    let bodies = "";
    await expect
      .poll(
        async () => {
          const got = await json<{ data: { transactionId: string; body: unknown }[] }>(
            await fetch(`${crm}/_standin/activities`),
            200,
          );
          const mine = got.data.filter((a) => ids.includes(a.transactionId));
          bodies = JSON.stringify(mine.map((a) => a.body));
          return mine.length;
        },
        { timeout: 15_000 },
      )
      .toBe(ids.length);
    expect(bodies).toContain("4242");
    expect(cardDataIn(bodies, SECRETS)).toEqual([]);
  });
});
