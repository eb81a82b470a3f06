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
import { pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { DEMO_ADMIN_TOKEN, DEMO_AGENT_TOKEN } from "../../tools/local-stack/seed";
import { type StackFile, workerAnswers } from "../../tools/local-stack/stack-file";
import { createSimClient } from "../../tools/phone/sim-client";
import { dial } from "../../tools/phone/softphone";

const root = path.resolve(import.meta.dirname, "../..");
const dirs: string[] = [];
let running: ChildProcessWithoutNullStreams | undefined;

afterEach(async () => {
  if (running && running.exitCode === null && running.signalCode === null) {
    const exited = once(running, "exit");
    running.kill("SIGTERM");
    await exited;
  }
  running = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

type Started = Spawned & { dir: string; stack: StackFile };
type Spawned = {
  child: ChildProcessWithoutNullStreams;
  out: string[];
  /** Resolves at the first stdout line (earlier ones count) that `match` accepts. */
  line: (match: (line: string) => boolean) => Promise<string>;
  banner: Promise<void>;
};

function scratchFolder(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "meterline-start-"));
  dirs.push(dir);
  return dir;
}

/**
 * Runs tools/start.ts in `dir` on a free port, under node with tsx's loader: the tsx CLI would
 * stand between the test's signals and the process under test (it SIGKILLs a child that does not
 * acknowledge a relayed signal within 30 ms, which a loaded machine can miss).
 */
function spawnStart(dir: string, args: string[]): Spawned {
  const loader = pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href;
  const child = spawn(process.execPath, ["--import", loader, path.join(root, "tools/start.ts"), ...args], {
    cwd: dir,
    env: { ...process.env, PORT: "0", METERLINE_LOGS: "" },
  });
  const out: string[] = [];
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  child.stderr.on("data", (chunk: Buffer) => out.push(`stderr: ${chunk.toString().trimEnd()}`));
  createInterface({ input: child.stdout }).on("line", (line) => {
    out.push(line);
    for (const w of waiters.filter((w) => w.match(line))) w.resolve(line);
  });
  const line = (match: (line: string) => boolean) => {
    const found = out.find(match);
    return found !== undefined
      ? Promise.resolve(found)
      : new Promise<string>((resolve) => waiters.push({ match, resolve }));
  };
  const exited = once(child, "exit").then(([code]) => {
    throw new Error(`npm start exited ${String(code)}:\n${out.join("\n")}`);
  });
  exited.catch(() => undefined);
  const banner = Promise.race([line((l) => l === "Ctrl-C stops everything.").then(() => undefined), exited]);
  banner.catch(() => undefined); // awaited by npmStart; a test that only spawns ignores it
  return { child, out, line, banner };
}

/** `npm start` in a fresh scratch folder (or `dir`), resolved once it is up. */
async function npmStart(args: string[] = [], dir = scratchFolder()): Promise<Started> {
  const started = spawnStart(dir, args);
  running = started.child;
  await started.banner;
  const stack = JSON.parse(readFileSync(path.join(dir, ".data/local-stack.json"), "utf8")) as StackFile;
  return { ...started, dir, stack };
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
    // A newcomer opens the console with the demo agent's token.
    expect(out).toContain(`  Agent console ${stack.worker.url}/console`);
    expect(out.some((l) => l.startsWith(`  Agent token   ${DEMO_AGENT_TOKEN}`))).toBe(true);
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
      `  stopped CRM stand-in (${stack.crm.url})`,
      `  stopped billing-service stand-in (${stack.billing.url})`,
      `  stopped Telnyx stand-in (${stack.telnyx.url})`,
      `  stopped Stripe stand-in (${stack.stripe.url})`,
      "  stopped libSQL server (.data/meterline.db)",
      "Stopped. Data kept in .data/ (npm start -- --fresh starts empty).",
    ]);
    expect(existsSync(path.join(dir, ".data/local-stack.json"))).toBe(false);
  });

  it("--logs shows the Worker's JSON lines on the terminal too", async () => {
    const { out, dir, stack, line } = await npmStart(["--logs"]);
    expect(out).toContain("  Worker logs   .data/worker.log  (JSON lines shown here too)");
    await placeDemoCall(stack);
    await line((l) => l.startsWith('  worker {"msg":"call.transition"'));
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
    const { child, out, line } = spawnStart(scratchFolder(), []);
    running = child;
    await line((l) => l === "Starting Meterline's local stack…");
    const exited = once(child, "exit");
    child.kill("SIGINT");
    expect(await exited).toEqual([130, null]);
    expect(out.at(-1)).toBe(
      "Stopped while starting: wrangler dev, the stand-ins and libSQL end with this process.",
    );
  });

  it("wrangler dev does not outlive npm start, even when npm start is killed outright", async () => {
    const { child, stack } = await npmStart();
    expect(await workerAnswers(stack.worker.url)).toBe(true);
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
    // The watchdog checks twice a second; give it a few rounds.
    const deadline = Date.now() + 10_000;
    while ((await workerAnswers(stack.worker.url, 500)) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    expect(await workerAnswers(stack.worker.url, 500)).toBe(false);
  });
});
