// The softphone CLI as a person runs it, against the real stand-in and the scripted IVR: what it
// prints (prompts, when the call listens and for how many digits, each key as it is sent), and
// interactive keys read from the terminal, a paste included, reaching the gather as typed.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ScriptedIvr, startScriptedIvr } from "./support/scripted-ivr";

const root = path.resolve(import.meta.dirname, "../..");
let ivr: ScriptedIvr;

beforeAll(async () => {
  ivr = await startScriptedIvr();
});

afterAll(async () => {
  expect(ivr.refused).toEqual([]);
  await ivr.close();
});

type Cli = {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  /** Resolves once a stdout line matching `re` was printed (earlier lines count). */
  line(re: RegExp): Promise<string>;
  exited: Promise<number | null>;
};

function runCli(args: string[], cwd = root): Cli {
  const child = spawn(
    process.execPath,
    [path.join(root, "node_modules/tsx/dist/cli.mjs"), path.join(root, "tools/phone/cli.ts"), ...args],
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
