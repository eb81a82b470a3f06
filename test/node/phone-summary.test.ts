// The softphone's end-of-call summary: who hung up, talk time, what was billed and what money
// moved, in the currency's own decimals; read from the Worker's API, polled until the record
// appears (bounded), and a one-line reason instead of a crash when it cannot be had.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import {
  type CallDetail,
  clock,
  describeCallSummary,
  fetchCallSummary,
  formatMoney,
} from "../../tools/phone/call-summary";
import { freePort } from "../../tools/local-stack/stack";

const call = (over: Partial<CallDetail>): CallDetail => ({
  status: "completed",
  hangup_cause: "normal_clearing",
  ended_by: "agent",
  talk_started_at: "2026-11-20T10:00:00.000Z",
  ended_at: "2026-11-20T10:01:30.900Z",
  billable_seconds: 120,
  amount: 398,
  currency: "usd",
  payments: [
    { kind: "authorization", amount: 2000, currency: "usd", status: "succeeded", code: null },
    { kind: "capture", amount: 398, currency: "usd", status: "succeeded", code: null },
  ],
  ...over,
});

describe("call summary line", () => {
  it("a per-minute call the rep ended: talk, billed minutes, captured amount", () => {
    expect(describeCallSummary(call({}))).toBe("✖ rep hung up · talk 1:30 · billed 2 min · captured $3.98");
  });

  it("a flat-rate call cut off at its limit", () => {
    const flat = call({
      ended_by: "system",
      hangup_cause: "time_limit",
      talk_started_at: "2026-11-20T10:00:00.000Z",
      ended_at: "2026-11-20T10:30:00.000Z",
      billable_seconds: 1800,
      amount: 2500,
      payments: [{ kind: "charge", amount: 2500, currency: "usd", status: "succeeded", code: null }],
    });
    expect(describeCallSummary(flat)).toBe(
      "✖ cut off at the time limit · talk 30:00 · billed 30 min · charged $25.00",
    );
  });

  it("a declined card: no talk, the status, the decline, nothing charged", () => {
    const declined = call({
      status: "payment_failed",
      ended_by: "caller",
      talk_started_at: null,
      billable_seconds: 0,
      amount: 0,
      payments: [
        { kind: "attempt", amount: 2000, currency: "usd", status: "failed", code: "generic_decline" },
      ],
    });
    expect(describeCallSummary(declined)).toBe(
      "✖ you hung up · no talk · payment failed · card declined (generic_decline) · nothing charged",
    );
  });

  it("a flat fee charged and then refunded says both (the caller left before the rep answered)", () => {
    const refunded = call({
      status: "no_agent",
      ended_by: "caller",
      talk_started_at: null,
      billable_seconds: 0,
      amount: 0,
      payments: [
        { kind: "attempt", amount: 2500, currency: "usd", status: "failed", code: "generic_decline" },
        { kind: "charge", amount: 2500, currency: "usd", status: "succeeded", code: null },
        { kind: "refund", amount: 2500, currency: "usd", status: "refunded", code: null },
      ],
    });
    expect(describeCallSummary(refunded)).toBe(
      "✖ you hung up · no talk · no agent · charged $25.00 · refunded $25.00",
    );
  });

  it("a free line shows no billing, and a hold given back says so", () => {
    const demo = call({ ended_by: "caller", billable_seconds: 9, amount: 0, payments: [] });
    expect(describeCallSummary(demo)).toBe("✖ you hung up · talk 1:30 · nothing charged");
    const released = call({
      ended_by: "system",
      hangup_cause: "normal_clearing",
      status: "no_agent",
      talk_started_at: null,
      billable_seconds: 0,
      amount: 0,
      payments: [
        { kind: "authorization", amount: 2000, currency: "usd", status: "succeeded", code: null },
        { kind: "cancel", amount: 2000, currency: "usd", status: "canceled", code: null },
      ],
    });
    expect(describeCallSummary(released)).toBe(
      "✖ the line ended the call · no talk · no agent · hold released · nothing charged",
    );
  });

  it("money in each currency's own decimals", () => {
    expect(formatMoney(398, "usd")).toBe("$3.98");
    expect(formatMoney(398, "jpy")).toBe("¥398");
    expect(formatMoney(3980, "kwd")).toBe("KWD 3.980");
    expect(formatMoney(4900, "sek")).toBe("SEK 49.00");
    expect(formatMoney(123456789012, "eur")).toBe("€1,234,567,890.12");
    expect(describeCallSummary(call({ currency: "jpy", amount: 398, payments: [] }))).toContain(
      "¥398 not collected",
    );
  });

  it("talk time as m:ss, or h:mm:ss past an hour, in whole seconds", () => {
    expect([clock(0), clock(9.9), clock(90), clock(3725)]).toEqual(["0:00", "0:09", "1:30", "1:02:05"]);
  });
});

describe("reading the call record", () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A Worker API stub: 404 for the first `missing` requests, then the record. */
  async function workerApi(
    missing: number,
    live: object = { ended: false, line: { id: "ln_x" } },
  ): Promise<{ url: string; asked: string[]; auth: string[] }> {
    const asked: string[] = [];
    const auth: string[] = [];
    server = createServer((req, res) => {
      if (req.url?.endsWith("/live")) return res.end(JSON.stringify(live));
      asked.push(req.url ?? "");
      auth.push(req.headers.authorization ?? "");
      const found = asked.length > missing;
      res.writeHead(found ? 200 : 404, { "content-type": "application/json" });
      res.end(JSON.stringify(found ? call({}) : { title: "Not Found" }));
    });
    await new Promise<void>((resolve) => server!.listen(0, "127.0.0.1", resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked, auth };
  }

  it("polls until the record appears a moment after the hang-up", async () => {
    const api = await workerApi(2);
    const result = await fetchCallSummary({ url: api.url, token: "tok" }, "sess/1", { everyMs: 10 });
    expect(result).toEqual({ ok: true, call: call({}) });
    expect(api.asked).toEqual(Array(3).fill("/api/v1/calls/sess%2F1"));
    expect(api.auth).toEqual(Array(3).fill("Bearer tok"));
  });

  it("gives up after the wait with a reason, not an error", async () => {
    const api = await workerApi(Infinity);
    const result = await fetchCallSummary({ url: api.url, token: "tok" }, "s", { waitMs: 50, everyMs: 10 });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toMatch(/^no call record within 0 s \(GET http:.+ later\)$/);
  });

  it("stops waiting when the live view says the call ended without a line (no record is kept)", async () => {
    const api = await workerApi(Infinity, {
      ended: true,
      line: { id: "", name: "", product: "not_in_service" },
    });
    expect(await fetchCallSummary({ url: api.url, token: "tok" }, "s")).toEqual({
      ok: false,
      reason: "the number called is not a line here, and such calls keep no record",
    });
    expect(api.asked).toHaveLength(1);
  });

  it("an API that does not answer is one line", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    expect(await fetchCallSummary({ url, token: "tok" }, "s")).toEqual({
      ok: false,
      reason: `the Worker API at ${url} is not answering`,
    });
  });
});
