// Finished calls as the admin sees them: list (filters, newest first, paging), one call with its
// timeline and payments, the CSV export, and the payment and voicemail lists. Rows are inserted
// the way the CallSession writes them when a call settles.
import { beforeAll, describe, expect, it } from "vitest";
import { callEvents, calls, payments, voicemails } from "../../src/db/schema";
import { api, createLine, expectProblem, json, testDb, type LineJson } from "./api-helpers";

const T0 = Date.parse("2026-03-10T08:00:00Z");
const MIN = 60_000;

function callRow(
  lineId: string,
  id: string,
  startedAt: number,
  extra: Partial<typeof calls.$inferInsert> = {},
) {
  return {
    id,
    lineId,
    product: "advice",
    callerNumber: "+15550001111",
    calledNumber: "+15550002222",
    startedAt,
    answeredAt: startedAt + 5_000,
    talkStartedAt: startedAt + 30_000,
    endedAt: startedAt + 5 * MIN,
    billableSeconds: 240,
    amount: 10_000,
    currency: "sek",
    status: "completed",
    ...extra,
  };
}

interface CallJson {
  id: string;
  started_at: string;
  status: string;
  amount: number;
  currency: string;
  timeline?: { seq: number; event: string; from_state: string; to_state: string }[];
  payments?: { kind: string; amount: number }[];
}

let line: LineJson;
let ids: { a: string; b: string; c: string };

beforeAll(async () => {
  line = await createLine();
  const tag = crypto.randomUUID();
  ids = { a: `call-a-${tag}`, b: `call-b-${tag}`, c: `call-c-${tag}` };
  const db = testDb();
  await db.insert(calls).values([
    callRow(line.id, ids.a, T0),
    callRow(line.id, ids.b, T0 + 86_400_000, { status: "payment_failed", amount: 0, billableSeconds: 0 }),
    callRow(line.id, ids.c, T0 + 2 * 86_400_000, {
      amount: 1234,
      hangupCause: 'said "bye", then hung up',
      cardBrand: "visa",
      cardLast4: "4242",
    }),
  ]);
  // Inserted out of order: the API must order the timeline by seq.
  await db.insert(callEvents).values([
    {
      callId: ids.c,
      seq: 2,
      at: T0 + 2 * 86_400_000 + 30_000,
      event: "legs_bridged",
      fromState: "dialling",
      toState: "talking",
    },
    {
      callId: ids.c,
      seq: 1,
      at: T0 + 2 * 86_400_000,
      event: "call_started",
      fromState: "idle",
      toState: "welcome",
    },
  ]);
  await db.insert(payments).values([
    {
      id: `pay-1-${tag}`,
      callId: ids.c,
      providerPaymentId: "pi_1",
      kind: "authorization",
      amount: 30000,
      currency: "sek",
      status: "succeeded",
      at: T0 + 2 * 86_400_000 + 10_000,
    },
    {
      id: `pay-2-${tag}`,
      callId: ids.c,
      providerPaymentId: "pi_1",
      kind: "capture",
      amount: 1234,
      currency: "sek",
      status: "succeeded",
      at: T0 + 2 * 86_400_000 + 5 * MIN,
    },
  ]);
  await db.insert(voicemails).values({
    id: `vm-${tag}`,
    callId: ids.b,
    lineId: line.id,
    callerNumber: "+15550001111",
    recordingUrl: "https://example.test/vm.mp3",
    durationSec: 42,
    recordedAt: T0 + 86_400_000 + MIN,
  });
});

describe("calls", () => {
  it("lists a line's calls newest first, filtered by status and date, with paging", async () => {
    const all = await json<{ data: CallJson[] }>(await api(`/api/v1/calls?line_id=${line.id}`), 200);
    expect(all.data.map((c) => c.id)).toEqual([ids.c, ids.b, ids.a]);
    expect(all.data[2]).toMatchObject({
      started_at: "2026-03-10T08:00:00.000Z",
      amount: 10_000,
      currency: "sek",
    });

    const failed = await json<{ data: CallJson[] }>(
      await api(`/api/v1/calls?line_id=${line.id}&status=payment_failed`),
      200,
    );
    expect(failed.data.map((c) => c.id)).toEqual([ids.b]);
    const day = await json<{ data: CallJson[] }>(
      await api(`/api/v1/calls?line_id=${line.id}&from=2026-03-11&to=2026-03-11`),
      200,
    );
    expect(day.data.map((c) => c.id)).toEqual([ids.b]);
    const since = await json<{ data: CallJson[] }>(
      await api(`/api/v1/calls?line_id=${line.id}&from=2026-03-11T08:00:00.001Z`),
      200,
    );
    expect(since.data.map((c) => c.id)).toEqual([ids.c]);

    const page1 = await json<{ data: CallJson[]; next_cursor: string }>(
      await api(`/api/v1/calls?line_id=${line.id}&limit=2`),
      200,
    );
    const page2 = await json<{ data: CallJson[]; next_cursor: null }>(
      await api(`/api/v1/calls?line_id=${line.id}&limit=2&cursor=${page1.next_cursor}`),
      200,
    );
    expect([...page1.data, ...page2.data].map((c) => c.id)).toEqual([ids.c, ids.b, ids.a]);
    expect(page2.next_cursor).toBeNull();
    await expectProblem(await api("/api/v1/calls?from=yesterday&status=lost"), 422);
  });

  it("shows one call with its timeline in order and its payments", async () => {
    const call = await json<CallJson>(await api(`/api/v1/calls/${ids.c}`), 200);
    expect(call.timeline?.map((e) => [e.seq, e.event])).toEqual([
      [1, "call_started"],
      [2, "legs_bridged"],
    ]);
    expect(call.payments?.map((p) => [p.kind, p.amount])).toEqual([
      ["authorization", 30000],
      ["capture", 1234],
    ]);
    await expectProblem(await api("/api/v1/calls/no-such-call"), 404);
  });

  it("exports the same selection as RFC 4180 CSV with minor and decimal amounts", async () => {
    const res = await api(`/api/v1/calls.csv?line_id=${line.id}&from=2026-03-11`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).split("\r\n");
    const header = lines[0]?.split(",") ?? [];
    expect(header).toEqual(
      expect.arrayContaining(["id", "amount_minor", "amount", "currency", "started_at"]),
    );
    expect(lines).toHaveLength(4); // header, two calls, the empty string after the final CRLF
    const newest = lines[1] ?? "";
    expect(newest.startsWith(`${ids.c},`)).toBe(true);
    expect(newest).toContain(',"said ""bye"", then hung up",');
    expect(newest).toContain(",1234,12.34,sek,");
    expect(lines[2]).toContain(",0,0.00,sek,");
  });

  it("exports caller-supplied text that a spreadsheet would run as a formula as plain text", async () => {
    const own = await createLine();
    const id = `call-formula-${crypto.randomUUID()}`;
    await testDb()
      .insert(calls)
      .values(
        callRow(own.id, id, T0, {
          callerNumber: '=HYPERLINK("http://x","y")',
          hangupCause: "@SUM(1+1)",
          amount: -250,
        }),
      );
    const res = await api(`/api/v1/calls.csv?line_id=${own.id}`);
    expect(res.status).toBe(200);
    const row = (await res.text()).split("\r\n")[1] ?? "";
    expect(row).toContain(`,"'=HYPERLINK(""http://x"",""y"")",+15550002222,`);
    expect(row).toContain(",'@SUM(1+1),");
    // Numbers stay numbers: a negative amount is not a formula.
    expect(row).toContain(",-250,-2.50,sek,");
  });

  it("lists payments by call and voicemails by line", async () => {
    const pays = await json<{ data: { kind: string; call_id: string }[] }>(
      await api(`/api/v1/payments?call_id=${ids.c}`),
      200,
    );
    expect(pays.data.map((p) => p.kind)).toEqual(["capture", "authorization"]);
    const vms = await json<{ data: { id: string; duration_sec: number; recorded_at: string }[] }>(
      await api(`/api/v1/voicemails?line_id=${line.id}`),
      200,
    );
    expect(vms.data).toHaveLength(1);
    expect(vms.data[0]).toMatchObject({ duration_sec: 42, recorded_at: "2026-03-11T08:01:00.000Z" });
    const one = await json<{ call_id: string }>(await api(`/api/v1/voicemails/${vms.data[0]?.id}`), 200);
    expect(one.call_id).toBe(ids.b);
    await expectProblem(await api("/api/v1/voicemails/vm_nope"), 404);
  });
});
