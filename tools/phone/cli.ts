/**
 * Terminal softphone: `npx tsx tools/phone/cli.ts <number> [--from <caller id>] [--keys "1,w2,4242#"]
 * [--hangup-after N] [--standin <url>]`. Prints what the caller hears; interactively, typed keys go
 * out as DTMF and `h` or Ctrl-C hangs up. With --keys it runs the script and exits 0 when the call
 * ended after every key group was sent, 1 otherwise. SIGINT/SIGTERM (either mode) hang the call up
 * first, so no simulated call is left live in the stand-in, then exit 130/143. Logic: softphone.ts.
 */
import { parseArgs } from "node:util";
import { createSimClient } from "./sim-client";
import {
  type PhoneCall,
  describeHeard,
  dial,
  parseKeyScript,
  runKeyScript,
  standinUrlFromLocalStack,
} from "./softphone";

const USAGE =
  'usage: phone <number> [--from <caller id>] [--keys "1,w2,4242#"] [--hangup-after N] [--standin <url>]';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      from: { type: "string", default: "+15555550100" },
      keys: { type: "string" },
      "hangup-after": { type: "string" },
      standin: { type: "string" },
    },
  });
  const to = positionals[0];
  if (!to) {
    console.error(USAGE);
    return 2;
  }
  const steps = values.keys !== undefined ? parseKeyScript(values.keys) : undefined;
  const client = createSimClient(values.standin ?? standinUrlFromLocalStack());
  console.log(`☎ calling ${to} from ${values.from} …`);
  const dialling = dial(client, {
    from: values.from,
    to,
    onHeard: (item) => console.log(describeHeard(item)),
  });
  hangUpOnSignals(dialling);
  const call = await dialling;
  if (steps) {
    const hangupAfter = values["hangup-after"];
    const result = await runKeyScript(
      call,
      steps,
      hangupAfter ? { hangupAfterSec: Number(hangupAfter) } : {},
    );
    if (!result.ok) console.error(`call ended after ${result.sent.length} of the scripted key groups`);
    return result.ok ? 0 : 1;
  }
  return interactive(call);
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

/** Raw TTY: each key pressed is one DTMF digit; h or Ctrl-C hangs up. */
async function interactive(call: PhoneCall): Promise<number> {
  const stdin = process.stdin;
  if (stdin.isTTY) {
    stdin.setRawMode(true);
    console.log("(type digits, * or # to send DTMF; h or Ctrl-C hangs up)");
  }
  stdin.setEncoding("utf8");
  stdin.on("data", (chunk: string) => {
    for (const ch of chunk) {
      if (ch === "h" || ch === "\u0003") void call.hangup().catch(() => undefined);
      else if (/^[0-9*#]$/.test(ch)) void call.press(ch).catch(() => undefined);
    }
  });
  stdin.resume();
  try {
    await call.ended;
  } finally {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdin.pause();
  }
  return 0;
}

main().then(
  (code) => {
    // The hang-up a signal sent also ends the call, which lets main() finish: keep 130/143.
    if (!signalled) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    if (!signalled) process.exit(1);
  },
);
