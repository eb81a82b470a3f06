/**
 * Terminal softphone: `npm run phone -- <number> [--from <caller id>] [--keys "1,w2,4242#"]
 * [--hangup-after N | --talk N] [--standin <url>] [--worker <url>] [--token <admin token>]`. Prints what the
 * caller hears, when the call listens for keys, each key as it is sent, and when the call ends a
 * summary read from the Worker's API (the stack's, or --worker's). Without --standin it calls
 * through the stack `npm start` runs and says plainly when none is. Interactively, typed keys go
 * out as DTMF (in order, a paste as one string) and `h` or Ctrl-C hangs up. With --keys it runs
 * the script and exits 0 when the call ended after every key group was sent, 1 otherwise.
 * SIGINT/SIGTERM (either mode) hang the call up first, so no simulated call is left live in the
 * stand-in, then exit 130/143. Logic: softphone.ts.
 */
import { parseArgs } from "node:util";
import { fetchCallSummary, describeCallSummary } from "./call-summary";
import { createSimClient, StandinUnreachable } from "./sim-client";
import { type KeyStep, type PhoneCall, dial, parseKeyScript, runKeyScript } from "./softphone";
import { type PhoneTargets, NOT_RUNNING, resolveTargets } from "./targets";
import { readTerminalInput } from "./terminal-input";
import { type Transcript, createTranscript, describeHeard } from "./transcript";

const USAGE =
  'usage: phone <number> [--from <caller id>] [--keys "1,w2,4242#"] [--hangup-after N | --talk N] [--standin <url>] [--worker <url>] [--token <admin token>]';

const out: Transcript = createTranscript((text) => process.stdout.write(text));

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: "string", default: "+15555550100" },
      keys: { type: "string" },
      "hangup-after": { type: "string" },
      talk: { type: "string" },
      standin: { type: "string" },
      worker: { type: "string" },
      token: { type: "string" },
    },
  });
  const to = positionals[0];
  if (!to) {
    console.error(USAGE);
    return 2;
  }
  const steps = values.keys !== undefined ? parseKeyScript(values.keys) : undefined;
  const targets = await resolveTargets(values);
  if (!targets.ok) {
    console.error(targets.reason);
    return 1;
  }
  try {
    return await runCall(to, values, steps, targets);
  } catch (err) {
    if (!(err instanceof StandinUnreachable)) throw err;
    out.close();
    if (!targets.fromStackFile) console.error(err.message);
    else if (placed)
      console.error("the local stack stopped during the call — start it again with `npm start`");
    else console.error(`${NOT_RUNNING}\n  (${err.message})`);
    return 1;
  }
}

/** Set once the stand-in placed the call: a stand-in lost after that stopped mid-call. */
let placed = false;

async function runCall(
  to: string,
  values: { from: string; "hangup-after"?: string; talk?: string },
  steps: KeyStep[] | undefined,
  targets: PhoneTargets,
): Promise<number> {
  const dialling = dial(createSimClient(targets.standinUrl), {
    from: values.from,
    to,
    onHeard: (item) => {
      // With a Worker to ask, the summary says how the call ended, with more than the cause.
      if (item.kind === "hung_up" && targets.worker) return;
      voice.open = item.kind === "ask";
      for (const line of describeHeard(item)) out.line(line);
    },
    onKeysSent: (digits) => out.keys(digits),
  });
  hangUpOnSignals(dialling);
  // Printed once the signal handlers are in: a Ctrl-C at the first line still hangs up.
  out.line(`☎ calling ${to} from ${values.from} …`);
  const call = await dialling;
  placed = true;
  let code: number;
  if (steps) {
    const hangupAfter = values["hangup-after"];
    const result = await runKeyScript(call, steps, {
      ...(hangupAfter ? { hangupAfterSec: Number(hangupAfter) } : {}),
      ...(values.talk ? { talkSec: Number(values.talk) } : {}),
    });
    code = result.ok ? 0 : 1;
    await summarise(call, targets);
    if (!result.ok) console.error(`call ended after ${result.sent.length} of the scripted key groups`);
  } else {
    code = await interactive(call);
    await summarise(call, targets);
  }
  return code;
}

/** The end-of-call line: from the Worker's call record, or the stand-in's cause and why not. */
async function summarise(call: PhoneCall, targets: PhoneTargets): Promise<void> {
  if (!targets.worker) return;
  const summary = await fetchCallSummary(targets.worker, call.callSessionId);
  if (summary.ok) return out.line(describeCallSummary(summary.call));
  const { cause } = await call.ended;
  out.line(`✖ hung up (${cause}) · no summary: ${summary.reason}`);
}

/** How long a signal waits for the stand-in to confirm the hang-up before exiting anyway. */
const HANGUP_ON_SIGNAL_TIMEOUT_MS = 3000;
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Set once a signal arrived: from then on only the signal handler decides the exit code. */
let signalled = false;

/** On SIGINT/SIGTERM: hang up (once the dial has placed the call, if it is still under way), then exit. */
function hangUpOnSignals(dialling: Promise<PhoneCall>): void {
  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => {
    if (signalled) return;
    signalled = true;
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    out.close();
    const hangup = dialling.then((call) => (call.isEnded() ? undefined : call.hangup()));
    const deadline = new Promise((r) => setTimeout(r, HANGUP_ON_SIGNAL_TIMEOUT_MS));
    void Promise.race([hangup, deadline])
      .catch((err: unknown) =>
        console.error(`could not hang up: ${err instanceof Error ? err.message : String(err)}`),
      )
      .finally(() => process.exit(SIGNAL_EXIT_CODES[signal]));
  };
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => onSignal(signal));
}

/** Raw TTY: keys go out as DTMF as typed (a paste as one string); h or Ctrl-C hangs up. */
async function interactive(call: PhoneCall): Promise<number> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    out.line("(type 0-9, * or # to send keys; h or Ctrl-C hangs up)");
  }
  stdin.setEncoding("utf8");
  stdin.on("data", (chunk: string) => {
    // A voice question is open: what is typed (until Enter) is the spoken answer, not keys.
    if (voice.open) return typeAnswer(call, chunk);
    const { keys, hangup } = readTerminalInput(chunk);
    const sent = keys ? call.press(keys) : Promise.resolve();
    void sent.catch((err: unknown) => out.line(`✖ keys ${keys} not sent: ${errorText(err)}`));
    // Keys typed before the h still go first: the hang-up waits for them.
    if (hangup) void sent.catch(() => undefined).then(() => call.hangup().catch(() => undefined));
  });
  stdin.resume();
  try {
    await call.ended;
  } finally {
    out.close();
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  }
  return 0;
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The answer being typed to an open voice question (interactive mode). */
const voice = { open: false, typed: "" };

function typeAnswer(call: PhoneCall, chunk: string): void {
  for (const ch of chunk) {
    if (ch === "\u0003") return void call.hangup().catch(() => undefined);
    if (ch === "\r" || ch === "\n") {
      const text = voice.typed.trim();
      voice.open = false;
      voice.typed = "";
      process.stdout.write("\n");
      void call.say(text).catch((err: unknown) => out.line(`✖ answer not sent: ${errorText(err)}`));
      return;
    }
    if (ch === "\u007f" && voice.typed) {
      voice.typed = voice.typed.slice(0, -1);
      process.stdout.write("\b \b");
    } else if (ch >= " ") {
      voice.typed += ch;
      process.stdout.write(ch);
    }
  }
}

main().then(
  (code) => {
    // The hang-up a signal sent also ends the call, which lets main() finish: keep 130/143.
    if (!signalled) process.exit(code);
  },
  (err: unknown) => {
    out.close();
    console.error(errorText(err));
    if (!signalled) process.exit(1);
  },
);
