/**
 * Terminal softphone: `npx tsx tools/phone/cli.ts <number> [--from <caller id>] [--keys "1,w2,4242#"]
 * [--hangup-after N] [--standin <url>]`. Prints what the caller hears; interactively, typed keys go
 * out as DTMF and `h` or Ctrl-C hangs up. With --keys it runs the script and exits 0 when the call
 * ended after every key group was sent, 1 otherwise. Logic lives in softphone.ts.
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
  const call = await dial(client, {
    from: values.from,
    to,
    onHeard: (item) => console.log(describeHeard(item)),
  });
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
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
