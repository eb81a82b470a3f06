/**
 * `npm run bench`: a throwaway local stack (wrangler dev + in-memory libSQL + stand-ins), then N
 * concurrent scripted demo calls (press 1 → agent → hang up) for each N. Prints call set-ups per
 * second, webhook → command latency (p50/p99, measured at the Telnyx stand-in), and counts of lost
 * calls and duplicated commands. Beside each size, the runtime's no-op ceiling measured in the same
 * run (a route the Worker answers 404 without touching a Durable Object or libSQL, at the same
 * concurrency), so every figure is also a ratio to what the platform itself can do here. It
 * reports; it never fails the test run.
 */
import { createClient } from "@libsql/client";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createSimClient } from "../phone/sim-client";
import { dial, type PhoneCall } from "../phone/softphone";
import { startLocalStack, type LocalStack } from "../local-stack/stack";
import { latencyFigures, type Figures } from "./figures";
import { measureLoad, type LoadResult } from "./load";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const sizes = (process.env.BENCH_SIZES ?? "50,200,500").split(",").map(Number);
const BENCH_NUMBER = "+15550300000";
const CALL_TIMEOUT_MS = 120_000;
const NOOP_SECONDS = Number(process.env.BENCH_NOOP_SECONDS ?? 5);

async function seedBenchLine(stack: LocalStack, agents: number): Promise<void> {
  const client = createClient({ url: stack.libsqlUrl });
  const now = Date.now();
  await client.batch(
    [
      {
        sql: "INSERT INTO lines (id, number, name, product, voice, config, active, updated_at) VALUES ('ln_bench', ?, 'Bench', 'demo', 'female', '{}', 1, ?)",
        args: [BENCH_NUMBER, now],
      },
      ...Array.from({ length: agents }, (_, i) => ({
        sql: "INSERT INTO agents (id, line_id, name, destination, priority, status, updated_at) VALUES (?, 'ln_bench', ?, ?, 1, 'available', ?)",
        args: [`ag_bench_${i}`, `Bench rep ${i}`, `+1555031${String(i).padStart(4, "0")}`, now],
      })),
    ],
    "write",
  );
  client.close();
}

/** One scripted demo call; resolves with the ms from dialling to being connected, or null. */
async function benchCall(stack: LocalStack, i: number): Promise<number | null> {
  const client = createSimClient(stack.telnyxUrl);
  const started = Date.now();
  let call: PhoneCall | undefined;
  try {
    call = await dial(client, { from: `+1555040${String(i).padStart(4, "0")}`, to: BENCH_NUMBER });
    if (!(await call.nextPrompt())) return null;
    await call.press("1");
    const deadline = Date.now() + CALL_TIMEOUT_MS;
    while (!call.heard.some((h) => h.kind === "bridged")) {
      if (call.isEnded() || Date.now() > deadline) return null;
      await new Promise((r) => setTimeout(r, 20));
    }
    const setup = Date.now() - started;
    await call.hangup();
    await call.ended;
    return setup;
  } catch {
    if (call && !call.isEnded()) await call.hangup().catch(() => undefined);
    return null;
  }
}

async function countRecords(stack: LocalStack): Promise<number> {
  const client = createClient({ url: stack.libsqlUrl });
  const rs = await client.execute("SELECT count(*) AS n FROM calls WHERE line_id = 'ln_bench'");
  client.close();
  return Number(rs.rows[0]?.n ?? 0);
}

async function runSize(stack: LocalStack, n: number, recordsBefore: number): Promise<Figures> {
  const telnyx = stack.telnyx!;
  const cmdStart = telnyx.commands.length;
  const hookStart = telnyx.webhooks.length;
  const t0 = Date.now();
  const setups = await Promise.all(Array.from({ length: n }, (_, i) => benchCall(stack, i)));
  const elapsedMs = Date.now() - t0;
  // Give the last settlements a moment to land before counting records.
  let records = 0;
  for (let i = 0; i < 50; i++) {
    records = (await countRecords(stack)) - recordsBefore;
    if (records >= n) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  return latencyFigures({
    n,
    setups,
    elapsedMs,
    records,
    commands: telnyx.commands.slice(cmdStart),
    webhooks: telnyx.webhooks.slice(hookStart),
  });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "meterline-bench-"));
  console.log(`Starting a throwaway local stack for sizes ${sizes.join(", ")}…`);
  const stack = await startLocalStack({ root, dataDir, port: 0, dbFile: ":memory:", telnyxTimeScale: 0.05 });
  try {
    await seedBenchLine(stack, Math.max(...sizes));
    let before = 0;
    const rows: (Figures & { noopPerSec: number; noopP99Ms: number; webhookP99xNoop: number })[] = [];
    for (const n of sizes) {
      const noop: LoadResult = await measureLoad(
        stack.workerUrl,
        () => ({ method: "GET", path: "/__bench/noop" }),
        { concurrency: n, seconds: NOOP_SECONDS },
      );
      console.log(JSON.stringify({ bench: "noop_ceiling", concurrency: n, ...noop }));
      const figures = await runSize(stack, n, before);
      before += figures.records;
      const p99 = figures.latencyP99Ms;
      rows.push({
        ...figures,
        noopPerSec: noop.perSec,
        noopP99Ms: noop.p99Ms,
        webhookP99xNoop: noop.p99Ms > 0 ? Math.round((p99 / noop.p99Ms) * 10) / 10 : 0,
      });
      console.log(JSON.stringify({ bench: "demo_calls", ...figures }));
    }
    console.table(rows);
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
