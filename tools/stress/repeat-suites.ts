/**
 * Runs the Node and workerd test suites N times in a row (`npm run test:repeat -- --runs 20`) and
 * prints the failures per test, so a flaky test shows as "2/20" instead of a shrug. Each run writes
 * its outcomes through the project's outcome reporter; nothing here retries or hides a failure.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { TestOutcome } from "../../test/node/support/outcome-reporter";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "20" },
    projects: { type: "string", default: "node,worker" },
  },
});
const runs = Number(values.runs);
const projects = values.projects.split(",").filter(Boolean);
if (!Number.isInteger(runs) || runs < 1) throw new Error("--runs must be a positive whole number");

const root = resolve(import.meta.dirname, "../..");
const outDir = join(root, ".data/repeat-suites");
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });

type Tally = { runs: number; failed: number; errors: Set<string> };
const tally = new Map<string, Tally>();
let failedRuns = 0;
const started = Date.now();

for (let run = 1; run <= runs; run++) {
  for (const project of projects) {
    const file = join(outDir, `${run}-${project}.jsonl`);
    const t0 = Date.now();
    const child = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "--project", project], {
      cwd: root,
      env: { ...process.env, METERLINE_TEST_OUTCOMES: file },
      stdio: ["ignore", "ignore", "ignore"],
    });
    const outcomes = existsSync(file)
      ? readFileSync(file, "utf8")
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as TestOutcome)
      : [];
    let failures = 0;
    for (const o of outcomes) {
      const key = `${o.project} › ${o.file} › ${o.name}`;
      const t = tally.get(key) ?? { runs: 0, failed: 0, errors: new Set<string>() };
      t.runs += 1;
      if (o.state === "failed") {
        t.failed += 1;
        failures += 1;
        if (o.error) t.errors.add(o.error);
      }
      tally.set(key, t);
    }
    // A run that died before reporting (exit code with no outcomes) is a failure too.
    if (child.status !== 0 && failures === 0) {
      failures = 1;
      const key = `${project} › (run exited ${child.status ?? child.signal} without a failing test)`;
      const t = tally.get(key) ?? { runs: 0, failed: 0, errors: new Set<string>() };
      t.runs += 1;
      t.failed += 1;
      tally.set(key, t);
    }
    if (failures > 0) failedRuns += 1;
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    console.log(
      `run ${run}/${runs} ${project}: ${outcomes.length} tests, ${failures} failed, exit ${child.status} (${secs} s)`,
    );
  }
}

const flaky = [...tally.entries()].filter(([, t]) => t.failed > 0).sort((a, b) => b[1].failed - a[1].failed);
const total = [...tally.values()].reduce((n, t) => n + t.runs, 0);
console.log(
  `\n${runs} runs × ${projects.join(" + ")}: ${total} test executions, ` +
    `${flaky.reduce((n, [, t]) => n + t.failed, 0)} failures, ${failedRuns} failed suite runs, ` +
    `${((Date.now() - started) / 60_000).toFixed(1)} min`,
);
for (const [name, t] of flaky) {
  console.log(`  ${t.failed}/${t.runs}  ${name}`);
  for (const e of t.errors) console.log(`         ${e.split("\n")[0]}`);
}
if (flaky.length === 0) console.log("  no test failed in any run");
process.exit(flaky.length === 0 ? 0 : 1);
