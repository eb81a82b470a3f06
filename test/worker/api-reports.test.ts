// A line's daily report: calls, completed calls, talk minutes and revenue per UTC day (every day
// in the range listed), totals, and nothing from other lines or outside the range.
import { describe, expect, it } from "vitest";
import { calls } from "../../src/db/schema";
import { api, createLine, expectProblem, json, testDb } from "./api-helpers";

interface Figures {
  calls: number;
  completed_calls: number;
  billable_seconds: number;
  talk_minutes: number;
  revenue: { amount: number; currency: string }[];
}

describe("line report", () => {
  it("sums per UTC day and in total", async () => {
    const [line, other] = [await createLine(), await createLine()];
    const tag = crypto.randomUUID();
    const row = (
      lineId: string,
      n: number,
      startedAt: string,
      status: string,
      seconds: number,
      amount: number,
      talkSeconds?: number,
    ) => ({
      id: `rep-${tag}-${n}`,
      lineId,
      product: "advice",
      callerNumber: "+15550003333",
      calledNumber: "+15550004444",
      startedAt: Date.parse(startedAt),
      endedAt: Date.parse(startedAt) + 600_000,
      talkStartedAt: talkSeconds === undefined ? null : Date.parse(startedAt) + 600_000 - talkSeconds * 1000,
      billableSeconds: seconds,
      amount,
      currency: "sek",
      status,
    });
    await testDb()
      .insert(calls)
      .values([
        row(line.id, 1, "2026-05-01T00:00:00Z", "completed", 90, 2500, 75),
        row(line.id, 2, "2026-05-01T23:59:59Z", "completed", 60, 1000, 3),
        row(line.id, 3, "2026-05-01T12:00:00Z", "payment_failed", 0, 0),
        row(line.id, 4, "2026-05-03T10:00:00Z", "completed", 20, 700, 20),
        row(line.id, 5, "2026-05-04T00:00:00Z", "completed", 600, 9999), // the day after `to`
        row(other.id, 6, "2026-05-01T10:00:00Z", "completed", 600, 9999), // another line
      ]);

    const report = await json<{ days: (Figures & { date: string })[]; totals: Figures }>(
      await api(`/api/v1/lines/${line.id}/report?from=2026-05-01&to=2026-05-03`),
      200,
    );
    expect(report.days).toEqual([
      {
        date: "2026-05-01",
        calls: 3,
        completed_calls: 2,
        billable_seconds: 150,
        talk_minutes: 1.3, // 78 s talked

        revenue: [{ amount: 3500, currency: "sek" }],
      },
      { date: "2026-05-02", calls: 0, completed_calls: 0, billable_seconds: 0, talk_minutes: 0, revenue: [] },
      {
        date: "2026-05-03",
        calls: 1,
        completed_calls: 1,
        billable_seconds: 20,
        talk_minutes: 0.33,
        revenue: [{ amount: 700, currency: "sek" }],
      },
    ]);
    expect(report.totals).toEqual({
      calls: 4,
      completed_calls: 3,
      billable_seconds: 170,
      talk_minutes: 1.63, // 98 s talked, rounded once from the sum
      revenue: [{ amount: 4200, currency: "sek" }],
    });
  });

  it("reports talk minutes as time talked, not as billed seconds", async () => {
    const line = await createLine();
    const endedAt = Date.parse("2026-06-02T09:00:00Z");
    await testDb()
      .insert(calls)
      .values({
        id: `talk-${crypto.randomUUID()}`,
        lineId: line.id,
        product: "advice",
        callerNumber: "+15550003333",
        calledNumber: "+15550004444",
        startedAt: endedAt - 20_000,
        talkStartedAt: endedAt - 3_000,
        endedAt,
        billableSeconds: 60, // one started minute, billed in full
        amount: 500,
        currency: "sek",
        status: "completed",
      });
    const report = await json<{ totals: Figures }>(
      await api(`/api/v1/lines/${line.id}/report?from=2026-06-02&to=2026-06-02`),
      200,
    );
    expect(report.totals).toMatchObject({ billable_seconds: 60, talk_minutes: 0.05 });
  });

  it("rejects a reversed or missing range and unknown lines", async () => {
    const line = await createLine();
    const reversed = await expectProblem(
      await api(`/api/v1/lines/${line.id}/report?from=2026-05-03&to=2026-05-01`),
      422,
    );
    expect(reversed.errors?.[0]?.field).toBe("to");
    const missing = await expectProblem(await api(`/api/v1/lines/${line.id}/report`), 422);
    expect(missing.errors?.map((e) => e.field).sort()).toEqual(["from", "to"]);
    await expectProblem(await api("/api/v1/lines/ln_missing/report?from=2026-05-01&to=2026-05-02"), 404);
  });
});
