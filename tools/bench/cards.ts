/**
 * The calling-card bench (`npm run bench`, or `npm run bench:cards` alone): rating lookups per
 * second on a BENCH_DECK_PREFIXES-prefix deck (default 100 000) in memory, side by side in one run
 * with the A2Billing-style `? LIKE prefix || '%'` query and the every-prefix `IN (...)` query on the
 * same libSQL; the deck's load time; then BENCH_PINS PINs (default 200 000; 1 000 000 for the
 * target) generated and stored by the real Worker's PinBatchJob through `wrangler dev`, and
 * exported through the API while wrangler's and workerd's memory is sampled. It reports, printed
 * beside the targets; it never fails the test run.
 */
import { createClient, type Client } from "@libsql/client";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { applyMigrations } from "../../src/db/migrate";
import { loadRates } from "../../src/products/calling-card/rating/deck-cache";
import { buildRateTable, type RateRow } from "../../src/products/calling-card/rating/rate-table";
import { loadMigrations } from "../db/load-migrations";
import { startLibsqlServer } from "../libsql-server/server";
import { startLocalStack } from "../local-stack/stack";
import { syntheticDeck } from "./card-deck";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const PREFIXES = Number(process.env.BENCH_DECK_PREFIXES ?? 100_000);
const PINS = Number(process.env.BENCH_PINS ?? 200_000);
const QUERY_SECONDS = Number(process.env.BENCH_QUERY_SECONDS ?? 3);

async function storeDeck(client: Client, rows: RateRow[]): Promise<string> {
  const version = "rd_bench";
  await client.execute({
    sql: "INSERT INTO cc_deck_versions (id, deck, currency, valid_from, status, row_count) VALUES (?, 'bench', 'usd', 0, 'ready', ?)",
    args: [version, rows.length],
  });
  const statements = [];
  for (let i = 0; i < rows.length; i += 100) {
    const part = rows.slice(i, i + 100);
    statements.push({
      sql: `INSERT INTO cc_rates (version_id, line, prefix, destination, sell_rate, buy_rate, first_block_sec, step_sec, connect_fee)
            VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
      args: part.flatMap((r, j) => [
        version,
        i + j + 2,
        r.prefix,
        r.destination,
        r.sellRate,
        r.buyRate,
        60,
        60,
        0,
      ]),
    });
  }
  for (let i = 0; i < statements.length; i += 50) await client.batch(statements.slice(i, i + 50), "write");
  return version;
}

/** Runs `lookup` over the numbers for `seconds`; lookups per second. */
async function rate(numbers: string[], seconds: number, lookup: (n: string) => unknown): Promise<number> {
  const until = performance.now() + seconds * 1000;
  let count = 0;
  const started = performance.now();
  while (performance.now() < until) {
    await lookup(numbers[count % numbers.length]!);
    count += 1;
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

async function ratingBench() {
  const db = await startLibsqlServer({ file: ":memory:", port: 0 });
  const client = createClient({ url: db.url });
  try {
    await applyMigrations(client, await loadMigrations(path.join(root, "migrations")));
    const { rows, numbers } = syntheticDeck(PREFIXES);
    const version = await storeDeck(client, rows);
    const t0 = performance.now();
    const table = buildRateTable(await loadRates(client, version));
    const loadMs = Math.round(performance.now() - t0);
    // In memory: a synchronous loop, timed in blocks of 10 000 lookups.
    let count = 0;
    const start = performance.now();
    while (performance.now() - start < 1000)
      for (let i = 0; i < 10_000; i++) table.lookup(numbers[count++ % numbers.length]!, 0);
    const inMemory = Math.round(count / ((performance.now() - start) / 1000));
    const like = await rate(numbers, QUERY_SECONDS, (n) =>
      client.execute({
        sql: "SELECT prefix FROM cc_rates WHERE version_id = ? AND ? LIKE prefix || '%' ORDER BY length(prefix) DESC LIMIT 1",
        args: [version, n],
      }),
    );
    // The IN query gets the index it needs (created for the comparison only).
    await client.execute("CREATE INDEX IF NOT EXISTS cc_rates_bench_prefix ON cc_rates (version_id, prefix)");
    const inQuery = await rate(numbers, QUERY_SECONDS, (n) => {
      const all = Array.from({ length: n.length }, (_, i) => n.slice(0, i + 1));
      return client.execute({
        sql: `SELECT prefix FROM cc_rates WHERE version_id = ? AND prefix IN (${all.map(() => "?").join(",")}) ORDER BY length(prefix) DESC LIMIT 1`,
        args: [version, ...all],
      });
    });
    // The three agree on what they find.
    for (const n of numbers.slice(0, 200)) {
      const q = await client.execute({
        sql: "SELECT prefix FROM cc_rates WHERE version_id = ? AND ? LIKE prefix || '%' ORDER BY length(prefix) DESC LIMIT 1",
        args: [version, n],
      });
      const fromSql = (q.rows[0]?.prefix as string | undefined) ?? null;
      if ((table.lookup(n, 0)?.prefix ?? null) !== fromSql) throw new Error(`rating disagrees on ${n}`);
    }
    return [
      {
        measure: `deck load (${rows.length.toLocaleString("en")} prefixes, libSQL → table)`,
        value: `${loadMs} ms`,
        target: "≤ 1 000 ms",
      },
      {
        measure: "lookups/s, in-memory longest prefix",
        value: inMemory.toLocaleString("en"),
        target: "≥ 1 000 000",
      },
      {
        measure: "lookups/s, ? LIKE prefix || '%' (A2Billing)",
        value: like.toLocaleString("en"),
        target: "(about 100)",
      },
      {
        measure: "lookups/s, prefix IN (every prefix), indexed",
        value: inQuery.toLocaleString("en"),
        target: "—",
      },
    ];
  } finally {
    client.close();
    await db.close();
  }
}

/** Resident memory (bytes) of every process in a process group: wrangler and its workerd. */
function groupRss(group: number): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== group) continue; // pgrp
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      total += Number(rss?.[1] ?? 0) * 1024;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

async function pinBench() {
  const dataDir = mkdtempSync(path.join(tmpdir(), "meterline-cards-bench-"));
  const stack = await startLocalStack({ root, dataDir, port: 0, dbFile: ":memory:", telnyxTimeScale: 0.05 });
  const auth = { authorization: `Bearer ${stack.adminToken}`, "content-type": "application/json" };
  try {
    const created = await fetch(`${stack.workerUrl}/api/v1/pin-batches`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({
        name: `Bench ${Date.now()}`,
        currency: "usd",
        face_value: 500,
        pin_count: PINS,
        effective_date: "2026-01-01",
        expiration_date: "2030-01-01",
        expiration_days_after_activation: 90,
        plan_id: "pl_demo",
      }),
    });
    const batch = (await created.json()) as { id: string };
    const t0 = performance.now();
    await fetch(`${stack.workerUrl}/api/v1/pin-batches/${batch.id}/generate`, {
      method: "POST",
      headers: auth,
    });
    type Job = { status: string; done: number; rate_per_sec: number };
    let job: Job | null = null;
    for (;;) {
      await new Promise((r) => setTimeout(r, 500));
      const res = await fetch(`${stack.workerUrl}/api/v1/pin-batches/${batch.id}`, { headers: auth });
      job = ((await res.json()) as { job: Job | null }).job;
      if (job?.status === "done") break;
    }
    const generateSec = (performance.now() - t0) / 1000;
    const baseline = groupRss(stack.workerProcessGroup);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, groupRss(stack.workerProcessGroup))), 100);
    const t1 = performance.now();
    const res = await fetch(`${stack.workerUrl}/api/v1/pin-batches/${batch.id}/pins.csv`, { headers: auth });
    let bytes = 0;
    let lines = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      bytes += chunk.length;
      for (const b of chunk) if (b === 10) lines += 1;
    }
    clearInterval(sampler);
    const exportSec = (performance.now() - t1) / 1000;
    const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
    return [
      {
        measure: `${PINS.toLocaleString("en")} PINs generated and stored (PinBatchJob)`,
        value: `${generateSec.toFixed(1)} s (${job?.rate_per_sec.toLocaleString("en")}/s)`,
        target:
          PINS === 1_000_000
            ? "≤ 30 s"
            : `≤ ${((30 * PINS) / 1_000_000).toFixed(0)} s at the 1M target's rate`,
      },
      {
        measure: `export, streamed (${(lines - 1).toLocaleString("en")} rows, ${mb(bytes)})`,
        value: `${exportSec.toFixed(1)} s`,
        target: "—",
      },
      {
        measure: "export: peak memory growth, wrangler + workerd",
        value: mb(peak - baseline),
        target: "≤ 64 MB",
      },
    ];
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  console.log(
    `Calling-card bench: ${PREFIXES.toLocaleString("en")}-prefix deck, ${PINS.toLocaleString("en")} PINs…`,
  );
  const rows = await ratingBench();
  console.table(rows);
  if (PINS > 0) {
    const pins = await pinBench();
    console.table(pins);
    rows.push(...pins);
  }
  console.log(JSON.stringify({ bench: "calling_cards", rows }));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
