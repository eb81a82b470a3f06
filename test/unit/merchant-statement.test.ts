// A merchant's daily statement sums its calls (table test), pure: gross − refunds − fees = net.
import { describe, expect, it } from "vitest";
import { statementLines, statementTotals, type StatementCall } from "../../src/billing/merchant-statement";

const call = (id: string, over: Partial<StatementCall> = {}): StatementCall => ({
  id,
  lineId: "ln_1",
  endedAt: 0,
  billableSeconds: 0,
  currency: "usd",
  applicationFee: 0,
  paymentId: `pi_${id}`,
  ...over,
});

describe("merchant statement", () => {
  it.each([
    {
      name: "a per-minute capture with a fee",
      calls: [call("a", { billableSeconds: 180, applicationFee: 45 })],
      payments: [
        { callId: "a", kind: "authorization", status: "succeeded", amount: 3000 },
        { callId: "a", kind: "capture", status: "succeeded", amount: 450 },
      ],
      total: { calls: 1, talkSeconds: 180, gross: 450, refunds: 0, fees: 45, net: 405 },
    },
    {
      name: "a refunded flat fee and a kept one",
      calls: [call("b"), call("c", { billableSeconds: 120, applicationFee: 62 })],
      payments: [
        { callId: "b", kind: "charge", status: "succeeded", amount: 2500 },
        { callId: "b", kind: "refund", status: "refunded", amount: 2500 },
        { callId: "c", kind: "charge", status: "succeeded", amount: 2500 },
      ],
      total: { calls: 2, talkSeconds: 120, gross: 5000, refunds: 2500, fees: 62, net: 2438 },
    },
    {
      name: "a declined attempt, a cancelled hold and a refused refund move nothing",
      calls: [call("d"), call("e")],
      payments: [
        { callId: "d", kind: "attempt", status: "failed", amount: 3000 },
        { callId: "e", kind: "authorization", status: "succeeded", amount: 3000 },
        { callId: "e", kind: "cancel", status: "canceled", amount: 0 },
        { callId: "e", kind: "refund", status: "refused", amount: 0 },
      ],
      total: { calls: 2, talkSeconds: 0, gross: 0, refunds: 0, fees: 0, net: 0 },
    },
  ])("$name", ({ calls, payments, total }) => {
    const lines = statementLines(calls, payments);
    expect(lines.map((l) => l.net).reduce((a, b) => a + b, 0)).toBe(total.net);
    expect(statementTotals(lines)).toEqual([{ currency: "usd", ...total }]);
  });

  it("keeps currencies apart", () => {
    const lines = statementLines(
      [call("f", { currency: "sek" }), call("g")],
      [
        { callId: "f", kind: "charge", status: "succeeded", amount: 100 },
        { callId: "g", kind: "charge", status: "succeeded", amount: 7 },
      ],
    );
    expect(statementTotals(lines).map((t) => [t.currency, t.gross])).toEqual([
      ["sek", 100],
      ["usd", 7],
    ]);
  });
});
