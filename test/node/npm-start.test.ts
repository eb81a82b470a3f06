// `npm start` as a newcomer runs it (tools/start.ts in a scratch folder, so its .data/ is the
// test's own): the banner stays readable because the Worker's output goes to .data/worker.log,
// the stack file tells the softphone where the Worker is and with which token, Ctrl-C names
// each part it stopped and removes the stack file, and --fresh starts from empty data.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ADMIN_TOKEN } from "../../tools/local-stack/seed";
import type { StackFile } from "../../tools/local-stack/stack-file";
import { createSimClient } from "../../tools/phone/sim-client";
import { dial } from "../../tools/phone/softphone";

const root = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
let running: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  if (running && running.exitCode === null) {
    const exited = once(running, "exit");
    running.kill("SIGTERM");
    await exited;
  }
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Started = { child: ChildProcessWithoutNullStreams; out: string[]; dir: string; stack: StackFile };
type Spawned = { child: ChildProcessWithoutNullStreams; out: string[]; banner: Promise<void> };

function scratchFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "meterline-start-"));
  dirs.push(dir);
  return dir;
}

/** Runs tools/start.ts in `dir` on a free port; `banner` resolves once the banner is printed. */
function spawnStart(dir: string, args: string[]): Spawned {
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "tools/start.ts"), ...args],
    { cwd: dir, env: { ...process.env, PORT: "0", METERLINE_LOGS: "" } },
  );
  const out: string[] = [];
  child.stderr.on("data", (chunk: Buffer) => out.push(`stderr: ${chunk.toString().trimEnd()}`));
  const banner = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on("line", (line) => {
      out.push(line);
      if (line === "Ctrl-C stops everything.") resolve();
    });
    child.once("exit", (code) => reject(new Error(`npm start exited ${code}:\n${out.join("\n")}`)));
  });
  banner.catch(() => undefined);
  return { child, out, banner };
}

/** `npm start` in a fresh scratch folder (or `dir`), resolved once it is up. */
async function npmStart(args: string[] = [], dir = scratchFolder()): Promise<Started> {
  const { child, out, banner } = spawnStart(dir, args);
  running = child;
  await banner;
  const stack = JSON.parse(readFileSync(path.join(dir, ".data/local-stack.json"), "utf8")) as StackFile;
  return { child, out, dir, stack };
}

/** One short call, so the Worker logs call transitions (JSON lines). */
async function placeDemoCall(stack: StackFile): Promise<void> {
  const call = await dial(createSimClient(stack.telnyx.url), { from: "+15557779001", to: "+15550100001" });
  expect(await call.nextPrompt()).toBe(true);
  await call.hangup();
  await call.ended;
}

describe("npm start", () => {
  it("keeps Worker logs in .data/worker.log, and Ctrl-C names each part it stopped", async () => {
    const { child, out, dir, stack } = await npmStart();
    expect(out).toContain("  Worker logs   .data/worker.log  (npm start -- --logs shows them here)");
    expect(stack.worker.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(stack.worker.adminToken).toBe(DEMO_ADMIN_TOKEN);
    expect(stack.pid).toBeGreaterThan(0);

    await placeDemoCall(stack);
    const log = path.join(dir, ".data/worker.log");
    await expect
      .poll(() => readFileSync(log, "utf8"), { timeout: 10_000 })
      .toContain('"msg":"call.transition"');
    expect(out.filter((line) => line.includes("call.transition"))).toEqual([]);

    const exited = once(child, "exit");
    child.kill("SIGINT");
    expect(await exited).toEqual([0, null]);
    const stopped = out.slice(out.indexOf("Stopping…"));
    expect(stopped).toEqual([
      "Stopping…",
      `  stopped wrangler dev (Worker at ${stack.worker.url})`,
      `  stopped Telnyx stand-in (${stack.telnyx.url})`,
      `  stopped Stripe stand-in (${stack.stripe.url})`,
      "  stopped libSQL server (.data/meterline.db)",
      "Stopped. Data kept in .data/ (npm start -- --fresh starts empty).",
    ]);
    expect(existsSync(path.join(dir, ".data/local-stack.json"))).toBe(false);
  });

  it("--logs shows the Worker's JSON lines on the terminal too", async () => {
    const { out, dir, stack } = await npmStart(["--logs"]);
    expect(out).toContain("  Worker logs   .data/worker.log  (JSON lines shown here too)");
    await placeDemoCall(stack);
    await expect
      .poll(() => out.some((line) => line.startsWith('  worker {"msg":"call.transition"')))
      .toBe(true);
    expect(readFileSync(path.join(dir, ".data/worker.log"), "utf8")).toContain('"msg":"call.transition"');
  });

  it("--fresh starts from empty data, and never while a stack runs on it", async () => {
    const dir = scratchFolder();
    const data = path.join(dir, ".data");
    mkdirSync(path.join(data, "wrangler"), { recursive: true });
    // Not a database: a start that kept it would fail to open it.
    writeFileSync(path.join(data, "meterline.db"), "left over from an older version");
    writeFileSync(path.join(data, "wrangler/stale-object"), "x");
    writeFileSync(path.join(data, "my-notes.txt"), "mine");
    writeFileSync(path.join(dir, "meterline.db"), "not in .data");

    const { out, stack } = await npmStart(["--fresh"], dir);
    expect(out).toContain("Starting fresh: removed meterline.db, wrangler from .data/");
    expect(existsSync(path.join(data, "wrangler/stale-object"))).toBe(false);
    expect(readFileSync(path.join(data, "my-notes.txt"), "utf8")).toBe("mine");
    expect(readFileSync(path.join(dir, "meterline.db"), "utf8")).toBe("not in .data");
    await placeDemoCall(stack);

    // A second npm start --fresh on the same folder must leave the running stack's data alone.
    const second = spawnStart(dir, ["--fresh"]);
    expect(await once(second.child, "exit")).toEqual([1, null]);
    expect(second.out).toContain(
      `stderr: A local stack is already running at ${stack.worker.url} (.data); stop it first.`,
    );
    expect(existsSync(path.join(data, "meterline.db"))).toBe(true);
    expect(existsSync(path.join(data, "local-stack.json"))).toBe(true);
  });

  it("Ctrl-C while it is still starting says so and exits", async () => {
    const { child, out } = spawnStart(scratchFolder(), []);
    running = child;
    await expect.poll(() => out.includes("Starting Meterline's local stack…")).toBe(true);
    const exited = once(child, "exit");
    child.kill("SIGINT");
    expect(await exited).toEqual([130, null]);
    expect(out.at(-1)).toBe(
      "Stopped while starting: wrangler dev, the stand-ins and libSQL end with this process.",
    );
  });
});
