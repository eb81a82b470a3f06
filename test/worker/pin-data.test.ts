/**
 * PINs never leave the call's memory in clear: whole card calls (a right PIN, wrong PINs, a PIN
 * keyed with its digits also reported one by one, the object restarting between two entries, a
 * "##" next call) run with known PINs while every console line is captured; then every Durable Object table,
 * every Turso table, every Telnyx request and every log line is scanned for them — the same scan
 * the card-data test uses, which first proves it finds a planted PIN.
 */
import { abortAllDurableObjects } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { TestCall } from "./support/call";
import { connect, destHangup, enterCard, placeCall, pressKeys } from "./support/card-call";
import { accountOfPin, seedCards, testPins } from "./support/card-seed";
import { cardDataIn, dumpObjectStorage, type Secret } from "./support/advice-scan";
import { db } from "./support/seed";
import { FakeTelnyx } from "./support/telnyx";
import { captureConsole } from "./support/console-capture";

const logs: string[] = [];
const calls: TestCall[] = [];
let telnyx: FakeTelnyx;
let pins: string[] = [];
let wrong: string[] = [];
let batchId = "";
let secrets: Secret[] = [];

/** Every row of every table in Turso (the card tables included), as JSON lines. */
async function dumpAllTurso(): Promise<string> {
  const client = db().$client;
  const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
  const out: string[] = [];
  for (const t of tables.rows) {
    const name = t.name as string;
    const rows = await client.execute(`SELECT * FROM "${name}"`);
    for (const r of rows.rows) out.push(`${name} ${JSON.stringify(r)}`);
  }
  return out.join("\n");
}

beforeAll(async () => {
  telnyx = new FakeTelnyx();
  telnyx.install();
  captureConsole(logs);
  const seeded = await seedCards({ pins: testPins(3) });
  pins = seeded.pins;
  batchId = seeded.batchId;
  wrong = testPins(2);
  secrets = [...pins, ...wrong].map((digits, i) => ({ label: `pin ${i}`, digits, kind: "pan" }));

  // A right PIN, keyed with its digits also reported one by one; a call; "##"; a second call.
  const good = new TestCall("+15557776000", seeded.line.number);
  calls.push(good);
  await good.start();
  await good.answered();
  await pressKeys(good, pins[0]!);
  await good.gathered(pins[0]!);
  await placeCall(good, "011442079460000");
  await connect(good);
  good.advance(20_000);
  await pressKeys(good, "##");
  await destHangup(good);
  await good.hangup(good.callerLeg, "caller");

  // Two wrong PINs, then the right one.
  const typo = new TestCall("+15557776001", seeded.line.number);
  calls.push(typo);
  await enterCard(typo, wrong[0]!);
  await typo.gathered(wrong[1]!);
  await typo.gathered(pins[1]!);
  await typo.hangup(typo.callerLeg, "caller");

  // The object restarts between two PIN entries: nothing of the first is kept for the second.
  const restarted = new TestCall("+15557776002", seeded.line.number);
  calls.push(restarted);
  await enterCard(restarted, wrong[0]!);
  await abortAllDurableObjects();
  await restarted.gathered(pins[2]!);
  await restarted.hangup(restarted.callerLeg, "caller");
});

afterAll(() => vi.restoreAllMocks());

describe("the PIN scan itself", () => {
  it("finds a planted PIN, plain or spaced, and ran real calls", async () => {
    const pin = pins[0]!;
    expect(cardDataIn(`{"digits":"${pin}"}`, secrets)).toHaveLength(1);
    expect(cardDataIn(`You entered ${pin.split("").join(" ")}.`, secrets)).toHaveLength(1);
    expect(await accountOfPin(batchId, 1)).toMatchObject({ balance: 494 });
    expect(await accountOfPin(batchId, 2)).not.toBeNull();
  });
});

describe("no PIN in clear anywhere", () => {
  it("in any CallSession's storage (every table, every row)", async () => {
    for (const call of calls) {
      const { text, tables } = await dumpObjectStorage(call.stub);
      expect(tables).toEqual(expect.arrayContaining(["meta", "outbox", "timeline"]));
      expect(cardDataIn(text, secrets)).toEqual([]);
    }
  });

  it("in any Turso table, where the PINs are only hashes and ciphertexts", async () => {
    const text = await dumpAllTurso();
    expect(text).toContain("cc_pins");
    expect(text).toContain("cc_pin_failures");
    expect(cardDataIn(text, secrets)).toEqual([]);
  });

  it("in any request to Telnyx", () => {
    const text = JSON.stringify([telnyx.sent, telnyx.attempts]);
    expect(text).toContain("Please enter your PIN");
    expect(cardDataIn(text, secrets)).toEqual([]);
  });

  it("in any log line (digits are redacted on this line)", () => {
    expect(logs.filter((l) => l.includes('"msg":"call.transition"')).length).toBeGreaterThan(30);
    expect(logs.some((l) => l.includes('"digits":"[12 redacted]"'))).toBe(true);
    expect(logs.filter((l) => cardDataIn(l, secrets).length > 0)).toEqual([]);
  });
});
