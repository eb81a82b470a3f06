// What a caller hears and what the admin's CSV export says are the same amount, for currencies with
// 0, 2, 3 and 4 decimals: both come from one ISO 4217 table (src/billing/currency.ts).
import { beforeAll, describe, expect, it } from "vitest";
import { calls } from "../../src/db/schema";
import { spokenMoney } from "../../src/ivr/prompts";
import { api, createLine, testDb, type LineJson } from "./api-helpers";

const AMOUNTS: [number, string, string][] = [
  [1500, "kwd", "1.500"],
  [7, "bhd", "0.007"],
  [500, "jpy", "500"],
  [1000, "bif", "1000"],
  [990, "krw", "990"],
  [12345, "sek", "123.45"],
  [5, "usd", "0.05"],
  [25000, "mga", "250.00"],
  [12345, "clf", "1.2345"],
];

let line: LineJson;
const exported = new Map<string, { amountMinor: string; amount: string; currency: string }>();

beforeAll(async () => {
  line = await createLine();
  const t0 = Date.parse("2026-04-01T10:00:00Z");
  await testDb()
    .insert(calls)
    .values(
      AMOUNTS.map(([amount, currency], i) => ({
        id: `money-${currency}-${crypto.randomUUID()}`,
        lineId: line.id,
        product: "advice",
        callerNumber: "+15550001111",
        calledNumber: line.number,
        startedAt: t0 + i * 60_000,
        endedAt: t0 + i * 60_000 + 30_000,
        amount,
        currency,
        status: "completed",
      })),
    );
  const res = await api(`/api/v1/calls.csv?line_id=${line.id}`);
  expect(res.status).toBe(200);
  const [header, ...rows] = (await res.text()).trimEnd().split("\r\n");
  const column = (name: string) => header!.split(",").indexOf(name);
  for (const row of rows) {
    const cells = row.split(",");
    exported.set(cells[column("currency")]!, {
      amountMinor: cells[column("amount_minor")]!,
      amount: cells[column("amount")]!,
      currency: cells[column("currency")]!,
    });
  }
});

describe("spoken and exported amounts agree", () => {
  it.each(AMOUNTS)("%i %s is %s in the CSV and in speech", (amount, currency, decimal) => {
    const row = exported.get(currency);
    expect(row).toEqual({ amountMinor: String(amount), amount: decimal, currency });
    expect(spokenMoney(amount, currency)).toMatch(new RegExp(`^${decimal.replace(".", "\\.")} `));
  });
});
