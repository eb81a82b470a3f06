// The softphone CLI as a person runs it, against the real stand-in and the scripted IVR: what it
// prints (prompts, when the call listens and for how many digits, each key as it is sent, the
// end-of-call summary from the Worker's API), interactive keys read from the terminal, a paste
// included, reaching the gather as typed, and a plain "not running" when there is no stack.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/local-stack/stack";
import { type ScriptedIvr, startScriptedIvr } from "./support/scripted-ivr";

const root = path.resolve(import.meta.dirname, "../..");
let ivr: ScriptedIvr;
let worker: FakeWorker;

beforeAll(async () => {
  ivr = await startScriptedIvr();
  worker = await startFakeWorker();
});

afterAll(async () => {
  expect(ivr.refused).toEqual([]);
  await ivr.close();
  await new Promise<void>((resolve) => worker.server.close(() => resolve()));
});

const RECORD = {
  status: "completed",
  hangup_cause: "normal_clearing",
  ended_by: "agent",
  talk_started_at: "2026-11-20T10:00:00.000Z",
  ended_at: "2026-11-20T10:01:30.000Z",
  billable_seconds: 120,
  amount: 398,
  currency: "usd",
  payments: [{ kind: "capture", amount: 398, currency: "usd", status: "succeeded", code: null }],
};

type FakeWorker = { server: Server; url: string; asked: { path: string; auth: string }[] };

/** The Worker's API as the softphone uses it: /health, and a call record that is not there at first. */
async function startFakeWorker(): Promise<FakeWorker> {
  const asked: FakeWorker["asked"] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? "";
    if (path === "/health") return res.end(JSON.stringify({ status: "ok" }));
    asked.push({ path, auth: req.headers.authorization ?? "" });
    const seen = asked.filter((a) => a.path === path).length;
    res.writeHead(seen > 1 ? 200 : 404, { "content-type": "application/json" });
    res.end(JSON.stringify(seen > 1 ? RECORD : { title: "Not Found" }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, asked };
}

const sessionOf = async (from: string): Promise<string> =>
  String(
    (await ivr.hooks.waitFor((e) => e.eventType === "call.initiated" && e.payload.from === from)).payload
      .call_session_id,
  );

type Cli = {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves once a stdout line matching `re` was printed (earlier lines count). */
  line(re: RegExp): Promise<string>;
  exited: Promise<number | null>;
};

function runCli(args: string[], cwd = root): Cli {
  // tsx's loader inside this node, not the tsx command: that relays a signal to its child and
  // SIGKILLs it if it does not answer within 30 ms — under load, before the phone could hang up.
  const child = spawn(
    process.execPath,
    [
      "--import",
      pathToFileURL(path.join(root, "node_modules/tsx/dist/loader.mjs")).href,
      path.join(root, "tools/phone/cli.ts"),
      ...args,
    ],
    { cwd },
  );
  const lines: string[] = [];
  const waiters: { re: RegExp; resolve: (line: string) => void }[] = [];
  createInterface({ input: child.stdout }).on("line", (line) => {
    lines.push(line);
    for (const w of waiters.filter((w) => w.re.test(line))) w.resolve(line);
  });
  child.stderr.on("data", (chunk: Buffer) => lines.push(`stderr: ${chunk.toString().trimEnd()}`));
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return {
    child,
    lines,
    line: (re) => {
      const found = lines.find((l) => re.test(l));
      return found ? Promise.resolve(found) : new Promise((resolve) => waiters.push({ re, resolve }));
    },
    exited,
  };
}

const gatherEnded = (from: string, digits: (d: string) => boolean) =>
  ivr.hooks.waitFor(
    (e) => e.eventType === "call.gather.ended" && e.payload.from === from && digits(String(e.payload.digits)),
  );

describe("softphone CLI output", () => {
  it("shows when the call listens and for how many digits, and echoes each key as it is sent", async () => {
    const script = ["--keys", "2,4000000000000002#", "--standin", ivr.standin.url];
    const cli = runCli(["+4630000030", "--from", "+4670000030", ...script]);
    expect(await cli.exited).toBe(0);
    expect(cli.lines).toEqual([
      "☎ calling +4630000030 from +4670000030 …",
      "🔊 Press 1 for billing",
      "⌨ listening for 1 digit",
      "  › pressed 2",
      "🔊 Enter your card number",
      "⌨ listening for 13–19 digits, # to finish",
      "  › pressed 4000000000000002#",
      "🔊 Thank you, goodbye",
      "✖ hung up (normal_clearing)",
    ]);
  });
});

describe("softphone CLI signals", () => {
  it("a SIGTERM as soon as it prints still hangs the call up, then exits 143", async () => {
    const from = "+4670000034";
    const cli = runCli(["+4630000034", "--from", from, "--keys", "w600", "--standin", ivr.standin.url]);
    await cli.line(/^☎ calling/);
    cli.child.kill("SIGTERM");
    expect(await cli.exited).toBe(143);
    const hangup = await ivr.hooks.waitFor((e) => e.eventType === "call.hangup" && e.payload.from === from);
    expect(hangup.payload.hangup_source).toBe("caller");
  });
});

describe("softphone CLI keys", () => {
  it("a paste on the terminal reaches the gather as typed, bracketed-paste markers and all", async () => {
    const [from, card] = ["+4670000031", "4000000000000002"];
    const cli = runCli(["+4630000031", "--from", from, "--standin", ivr.standin.url]);
    await cli.line(/Press 1 for billing/);
    cli.child.stdin.write("2");
    await cli.line(/Enter your card number/);
    // A terminal in bracketed-paste mode wraps pasted text in ESC[200~ … ESC[201~.
    cli.child.stdin.write(`\u001b[200~${card}#\u001b[201~`);
    const ended = await gatherEnded(from, (d) => d !== "2");
    expect(ended.payload).toMatchObject({ status: "valid", digits: card });
    expect(await cli.exited).toBe(0);
    expect(cli.lines).toContain(`  › pressed ${card}#`);
  });
});

describe("softphone CLI summary", () => {
  it("ends with the summary from the Worker's call record, not the bare hang-up", async () => {
    const from = "+4670000032";
    const api = ["--standin", ivr.standin.url, "--worker", worker.url, "--token", "tok_summary"];
    const cli = runCli(["+4630000032", "--from", from, "--keys", "1,4242#", ...api]);
    expect(await cli.exited).toBe(0);
    expect(cli.lines.slice(-2)).toEqual([
      "🔊 Thank you, goodbye",
      "✖ rep hung up · talk 1:30 · billed 2 min · captured $3.98",
    ]);
    // Asked by call_session_id with the admin token, again after the first 404.
    const want = { path: `/api/v1/calls/${await sessionOf(from)}`, auth: "Bearer tok_summary" };
    expect(worker.asked.filter((a) => a.path === want.path)).toEqual([want, want]);
  });

  it("says in one line why there is no summary when the Worker API does not answer", async () => {
    const api = ["--standin", ivr.standin.url, "--worker", `http://127.0.0.1:${await freePort()}`];
    const cli = runCli(["+4630000033", "--from", "+4670000033", "--keys", "1,4242#", ...api]);
    expect(await cli.exited).toBe(0);
    expect(cli.lines.at(-1)).toMatch(
      /^✖ hung up \(normal_clearing\) · no summary: the Worker API at http:\/\/127\.0\.0\.1:\d+ is not answering$/,
    );
  });
});

describe("softphone CLI without a running stack", () => {
  const NOT_RUNNING = "the local stack is not running — start it with `npm start`";
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "meterline-phone-"));
    mkdirSync(path.join(dir, ".data"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const stackFile = (stack: object) =>
    writeFileSync(path.join(dir, ".data/local-stack.json"), JSON.stringify(stack));

  async function expectNotRunning(detail: RegExp): Promise<void> {
    const cli = runCli(["+18005550100"], dir);
    expect(await cli.exited).toBe(1);
    const stderr = cli.lines.filter((l) => l.startsWith("stderr: ")).join("\n");
    expect(stderr).toContain(NOT_RUNNING);
    expect(stderr).toMatch(detail);
    expect(stderr).not.toContain("fetch failed");
  }

  it("no stack file: npm start has not run here", async () => {
    rmSync(path.join(dir, ".data/local-stack.json"), { force: true });
    await expectNotRunning(/local-stack\.json not found/);
  });

  it("a stale stack file: what it names no longer answers", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    stackFile({ worker: { url: closed, adminToken: "t" }, telnyx: { url: closed } });
    await expectNotRunning(/names http:\/\/127\.0\.0\.1:\d+, which is not answering/);
  });

  it("the stack stops during the call", async () => {
    const doomed = await startScriptedIvr();
    stackFile({ worker: { url: worker.url, adminToken: "t" }, telnyx: { url: doomed.standin.url } });
    const cli = runCli(["+18005550100"], dir);
    await cli.line(/Press 1 for billing/);
    await doomed.close();
    expect(await cli.exited).toBe(1);
    expect(cli.lines.at(-1)).toBe(
      "stderr: the local stack stopped during the call — start it again with `npm start`",
    );
  });

  it("the Worker answers but the stand-in does not", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    stackFile({ worker: { url: worker.url, adminToken: "t" }, telnyx: { url: closed } });
    await expectNotRunning(/the Telnyx stand-in at http:\/\/127\.0\.0\.1:\d+ is not answering/);
  });
});
