/**
 * End to end on the real local stack: wrangler dev (workerd) + local libSQL + Telnyx and Stripe
 * stand-ins, driven by the terminal softphone. What a person running `npm start` and
 * `npm run phone` would see: the demo reaches an agent, and an advice call is billed, the CLI's
 * last line saying what was billed and captured (read from the Worker's API).
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClient } from "../../tools/phone/sim-client";
import { dial, parseKeyScript, runKeyScript } from "../../tools/phone/softphone";
import { startLocalStack, type LocalStack } from "../../tools/local-stack/stack";

const root = path.resolve(import.meta.dirname, "../..");
let stack: LocalStack;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), "meterline-e2e-"));
  stack = await startLocalStack({ root, dataDir, port: 0, dbFile: ":memory:", telnyxTimeScale: 0.1 });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function api<T>(pathname: string): Promise<T> {
  const res = await fetch(`${stack.workerUrl}${pathname}`, {
    headers: { authorization: `Bearer ${stack.adminToken}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

type CallRow = {
  id: string;
  status: string;
  amount: number;
  card_last4: string | null;
  billable_seconds: number;
};

async function waitForCall(lineId: string, count: number): Promise<CallRow[]> {
  for (let i = 0; i < 100; i++) {
    const { data } = await api<{ data: CallRow[] }>(`/api/v1/calls?line_id=${lineId}`);
    if (data.length >= count) return data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no call record for ${lineId}`);
}

describe("local stack end to end", () => {
  it("the softphone CLI reaches an agent on the demo line and exits 0", async () => {
    // Async on purpose: the stand-ins live in this process and must keep serving while the CLI runs.
    const run = await promisify(execFile)(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "tools/phone/cli.ts",
        "+15550100001",
        "--keys",
        "1",
        "--talk",
        "0.2",
        "--standin",
        stack.telnyxUrl,
        "--worker",
        stack.workerUrl,
        "--token",
        stack.adminToken,
      ],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stdout).toContain("Press 1 to talk to an agent");
    expect(run.stdout).toContain("connected to +15550200001");
    const [record] = await waitForCall("ln_demo", 1);
    expect(record).toMatchObject({ status: "completed", amount: 0 });
    // The last line is the summary the CLI read from the Worker's call record.
    // The stand-in's demo rep hangs up after 1 s of talk here (time scale 0.1): either may end it.
    expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^✖ (you|rep) hung up · talk 0:0\d · nothing charged$/,
    );
  }, 90_000);

  it("a per-minute advice call with a test card is pre-authorised, connected and captured", async () => {
    const client = createSimClient(stack.telnyxUrl);
    const call = await dial(client, { from: "+15557770001", to: "+18005550100" });
    const result = await runKeyScript(
      call,
      parseKeyScript("1,4242424242424242#,1,1230#,1,42#,1,94107#,1,123#"),
      // Talk starts only once the card is approved and the rep answers, however long that takes.
      { talkSec: 2 },
    );
    expect(result.ok).toBe(true);
    const texts = call.heard.flatMap((h) => (h.kind === "speak" ? [h.text] : []));
    expect(texts.join(" ")).toContain("1.99 US dollars per minute");
    expect(call.heard.some((h) => h.kind === "bridged")).toBe(true);
    const [record] = await waitForCall("ln_advice_minute", 1);
    expect(record).toMatchObject({
      status: "completed",
      amount: 199,
      card_last4: "4242",
      billable_seconds: 60,
    });
    const payments = await api<{ data: { kind: string; amount: number }[] }>(
      `/api/v1/payments?call_id=${record!.id}`,
    );
    expect(payments.data.filter((p) => p.kind === "capture")).toEqual([
      expect.objectContaining({ amount: 199 }),
    ]);
  }, 90_000);

  it("a declined card on the flat-rate line goes to its customer-service number", async () => {
    const client = createSimClient(stack.telnyxUrl);
    const call = await dial(client, { from: "+15557770002", to: "+18005550101" });
    const script = runKeyScript(call, parseKeyScript("1,4000000000000002#,1,1230#,1,42#,1,94107#,1,123#,2"));
    // Pressing 2 declines another card: the line transfers the caller, then the caller hangs up.
    const transferred = () =>
      stack.telnyx?.commands.some(
        (c) => c.action === "transfer" && JSON.stringify(c.body).includes("+15550109999"),
      ) ?? false;
    for (let i = 0; i < 100 && !transferred() && !call.isEnded(); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(transferred()).toBe(true);
    if (!call.isEnded()) await call.hangup();
    expect((await script).ok).toBe(true);
    const [record] = await waitForCall("ln_advice_flat", 1);
    expect(record).toMatchObject({ status: "payment_failed", amount: 0 });
  }, 90_000);

  it("the softphone CLI ends an advice call with what was billed and captured", async () => {
    const script = "1,4242424242424242#,1,1230#,1,42#,1,94107#,1,123#";
    const api = ["--worker", stack.workerUrl, "--token", stack.adminToken];
    const run = await promisify(execFile)(
      process.execPath,
      [
        path.join(root, "node_modules/tsx/dist/cli.mjs"),
        "tools/phone/cli.ts",
        "+18005550100",
        "--from",
        "+15557770003",
        "--keys",
        script,
        "--talk",
        "2",
        "--standin",
        stack.telnyxUrl,
        ...api,
      ],
      { cwd: root, encoding: "utf8", timeout: 60_000 },
    );
    expect(run.stdout).toContain("⌨ listening for 13–19 digits, # to finish");
    expect(run.stdout).toContain("  › pressed 4242424242424242#");
    expect(run.stdout.trimEnd().split("\n").at(-1)).toMatch(
      /^✖ you hung up · talk 0:0\d · billed 1 min · captured \$1\.99$/,
    );
  }, 90_000);
});
