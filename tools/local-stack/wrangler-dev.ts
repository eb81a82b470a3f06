/**
 * Runs `wrangler dev` for the local stack: offline-safe (no Cloudflare fetches, no metrics), on
 * 127.0.0.1, with config passed through an env file under .data/ (gitignored; never a .dev.vars a
 * developer keeps). Resolves once /health answers; stop() ends wrangler and its workerd children.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";

export interface WranglerDev {
  url: string;
  /** The process group of wrangler and its workerd (the bench samples their memory). */
  processGroup: number;
  stop(): Promise<void>;
}

export async function startWranglerDev(opts: {
  root: string;
  port: number;
  vars: Record<string, string>;
  /**
   * Optional settings (a product's): wrangler dev loads only the secrets wrangler.toml lists as
   * required from an env file, so these go in as --var (local values, never real secrets).
   */
  optionalVars?: Record<string, string>;
  dataDir: string;
  quiet?: boolean;
  onLine?: (line: string) => void;
}): Promise<WranglerDev> {
  const envFile = path.join(opts.dataDir, "worker.env");
  await writeFile(
    envFile,
    Object.entries(opts.vars)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join("\n") + "\n",
    { mode: 0o600 },
  );
  const child = spawn(
    process.execPath,
    [
      path.join(opts.root, "node_modules/wrangler/bin/wrangler.js"),
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(opts.port),
      "--inspector-port",
      "0",
      "--persist-to",
      path.join(opts.dataDir, "wrangler"),
      "--env-file",
      envFile,
      "--show-interactive-dev-session=false",
      "--log-level",
      "log",
      ...Object.entries(opts.optionalVars ?? {}).flatMap(([k, v]) => ["--var", `${k}:${v}`]),
    ],
    {
      cwd: opts.root,
      env: {
        ...process.env,
        CLOUDFLARE_CF_FETCH_ENABLED: "false",
        WRANGLER_SEND_METRICS: "false",
        NO_COLOR: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  // Even if our process dies without stopping the stack (a crash), take wrangler and workerd along.
  const onExit = () => killGroup(child, "SIGKILL");
  process.once("exit", onExit);
  child.once("exit", () => process.removeListener("exit", onExit));
  if (child.pid !== undefined) watchOverGroup(child.pid);
  const url = `http://127.0.0.1:${opts.port}`;
  const output: string[] = [];
  const onData = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n")) {
      if (!line.trim()) continue;
      output.push(line);
      if (output.length > 200) output.shift();
      opts.onLine?.(line);
    }
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  try {
    await waitForHealth(url, child, 60_000);
  } catch (err) {
    killGroup(child);
    throw new Error(`${(err as Error).message}\n--- wrangler output ---\n${output.join("\n")}`, {
      cause: err,
    });
  }
  return { url, processGroup: child.pid ?? 0, stop: () => stopChild(child) };
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become healthy within ${timeoutMs / 1000} s`);
}

// Runs apart from us: when we are gone (our pid is no longer its parent's) it kills the group;
// when the group is gone it leaves. Plain JS for `node -e`.
const WATCHDOG = `
const [parent, group] = process.argv.slice(1).map(Number);
const groupAlive = () => { try { process.kill(-group, 0); return true; } catch { return false; } };
setInterval(() => {
  if (!groupAlive()) process.exit(0);
  if (process.ppid !== parent) { try { process.kill(-group, "SIGKILL"); } catch {} process.exit(0); }
}, 500);`;

/**
 * The 'exit' hook misses a death by SIGKILL (an OOM kill, or a runner such as tsx killing us when
 * we answer a signal late), and an orphaned wrangler keeps the port, so the next `npm start` fails.
 * A small detached watchdog kills wrangler's process group once this process is gone.
 */
function watchOverGroup(group: number): void {
  const dog = spawn(process.execPath, ["-e", WATCHDOG, String(process.pid), String(group)], {
    detached: true,
    stdio: "ignore",
  });
  dog.unref();
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): void {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  killGroup(child, "SIGTERM");
  const timer = setTimeout(() => killGroup(child, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}
