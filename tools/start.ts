/**
 * `npm start [-- --fresh] [-- --logs]`: the whole product on this machine — local libSQL
 * (.data/meterline.db), Stripe and Telnyx stand-ins, and wrangler dev — then prints where
 * everything is. The Worker's output goes to .data/worker.log unless --logs (or METERLINE_LOGS=1)
 * shows it here too; --fresh first removes the database and stack files (local-data.ts), never
 * while a stack runs on them. Real peers configured in the environment (TELNYX_API_BASE +
 * TELNYX_PUBLIC_KEY, STRIPE_API_BASE) replace the stand-ins. Ctrl-C stops every child, naming
 * each, and removes .data/local-stack.json; the data survives for the next run.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DB_FILE, removeLocalData } from "./local-stack/local-data";
import { startLocalStack, type LocalStack } from "./local-stack/stack";
import {
  NoLocalStack,
  readStackFile,
  removeStackFile,
  workerAnswers,
  writeStackFile,
} from "./local-stack/stack-file";
import { openWorkerLog, type WorkerLog } from "./local-stack/worker-log";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
// npm runs scripts in the project folder, so this is <project>/.data (tests run it elsewhere).
const dataDir = path.join(process.cwd(), ".data");
const shown = (file: string) => path.relative(process.cwd(), file);
const env = process.env;
const USAGE =
  "usage: npm start [-- --fresh] [-- --logs]   (METERLINE_LOGS=1 = --logs; PORT sets the Worker's port)";

/** Resolves with an exit code when it could not start; once started, signals end the process. */
async function main(): Promise<number | undefined> {
  let values: { fresh: boolean; logs: boolean };
  try {
    ({ values } = parseArgs({
      options: { fresh: { type: "boolean", default: false }, logs: { type: "boolean", default: false } },
    }));
  } catch (err) {
    console.error(`${errorText(err)}\n${USAGE}`);
    return 2;
  }
  const running = await runningStack();
  if (running) {
    console.error(`A local stack is already running at ${running} (${shown(dataDir)}); stop it first.`);
    return 1;
  }
  if (values.fresh) {
    const removed = await removeLocalData(dataDir);
    console.log(
      `Starting fresh: removed ${removed.length ? removed.join(", ") : "nothing"} from ${shown(dataDir)}/`,
    );
  }
  await mkdir(dataDir, { recursive: true });
  const showLogs = values.logs || env.METERLINE_LOGS === "1";
  const log = openWorkerLog(path.join(dataDir, "worker.log"), showLogs ? (l) => console.log(l) : undefined);
  const offWhileStarting = stopWhileStarting();
  console.log("Starting Meterline's local stack…");
  let stack: LocalStack;
  try {
    stack = await startStack(log);
  } catch (err) {
    await log.close();
    const seeLog = log.lines() ? `\nWorker log: ${shown(log.file)}` : "";
    const fresh = "\nIf the local data is at fault, `npm start -- --fresh` starts from empty data.";
    throw new Error(`${errorText(err)}${seeLog}${fresh}`, { cause: err });
  }
  await writeStackFile(dataDir, {
    worker: { url: stack.workerUrl, adminToken: stack.adminToken },
    telnyx: { url: stack.telnyxUrl },
    stripe: { url: stack.stripeUrl },
    billing: { url: stack.billingUrl },
    crm: { url: stack.crmUrl },
    libsql: { url: stack.libsqlUrl },
    pid: process.pid,
  });
  // Handlers before the banner: a Ctrl-C right after it must find them in place.
  stopOnSignals(stack, log);
  offWhileStarting();
  console.log(banner(stack, log, showLogs));
  return undefined;
}

function startStack(log: WorkerLog): Promise<LocalStack> {
  return startLocalStack({
    root,
    dataDir,
    port: Number(env.PORT ?? 8931),
    dbFile: path.join(dataDir, DB_FILE),
    telnyx:
      env.TELNYX_API_BASE && env.TELNYX_PUBLIC_KEY
        ? { apiBase: env.TELNYX_API_BASE, publicKey: env.TELNYX_PUBLIC_KEY, apiKey: env.TELNYX_API_KEY ?? "" }
        : undefined,
    stripe: env.STRIPE_API_BASE
      ? {
          apiBase: env.STRIPE_API_BASE,
          secretKey: env.STRIPE_SECRET_KEY ?? "",
          webhookSecret: env.STRIPE_WEBHOOK_SECRET ?? "",
        }
      : undefined,
    onWorkerLine: (line) => log.line(line),
  });
}

/** The Worker URL of a stack this data folder's stack file names and that still answers. */
async function runningStack(): Promise<string | undefined> {
  try {
    const url = readStackFile(dataDir).worker?.url;
    return url && (await workerAnswers(url)) ? url : undefined;
  } catch (err) {
    if (err instanceof NoLocalStack) return undefined;
    throw err;
  }
}

function banner(stack: LocalStack, log: WorkerLog, showLogs: boolean): string {
  const lines = stack.demo.lines.map((l) => `    ${l.number}  ${l.name}`).join("\n");
  const logs = showLogs
    ? `${shown(log.file)}  (JSON lines shown here too)`
    : `${shown(log.file)}  (npm start -- --logs shows them here)`;
  return `
Meterline is running.
  Worker        ${stack.workerUrl}
  Health        ${stack.workerUrl}/health
  API docs      ${stack.workerUrl}/api/docs
  OpenAPI       ${stack.workerUrl}/api/openapi.json
  Admin token   ${stack.adminToken}   (local demo only)
  Agent console ${stack.workerUrl}/console
  Agent token   ${stack.agentToken}   (Dana, the demo line's agent; local demo only)
  Worker logs   ${logs}
  Telnyx        ${stack.telnyx ? `stand-in at ${stack.telnyxUrl}` : `real peer at ${stack.telnyxUrl}`}
  Stripe        ${env.STRIPE_API_BASE ? "real peer" : "stand-in"} at ${stack.stripeUrl}
  Billing svc   stand-in at ${stack.billingUrl}  (npm run billing -- list)
  CRM           stand-in at ${stack.crmUrl}  (secure-payment records it received)
  libSQL        ${stack.libsqlUrl}  (${shown(path.join(dataDir, DB_FILE))})

Demo numbers:
${lines}

Call one from a second terminal:
    npm run phone -- +15550100001 --keys 1
        then in the agent console: Actions → Request Payment, and key the card in the softphone
    npm run phone -- +18005550100          (interactive: type or paste keys; h hangs up)
        card 4242424242424242, expiry 1230, street 42, zip 94107, CVC 123: end each with #
    npm run phone -- +18005550300 --keys "111122223333#,011442079460000#" --hangup-after 20
                                           (calling card: demo PINs 111122223333, 444455556666, 777788889999)
    npm run phone -- +4686001000 --from +4681234567   (invoiced agent line: docs/agent-line.md)
Ctrl-C stops everything.
`;
}

/**
 * Ctrl-C before the stack is up: exit at once. The stand-ins and libSQL live in this process, and
 * exiting (not dying of the signal, which skips 'exit' handlers) takes wrangler's group along.
 */
function stopWhileStarting(): () => void {
  const onSignal = () => {
    console.log("\nStopped while starting: wrangler dev, the stand-ins and libSQL end with this process.");
    process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}

function stopOnSignals(stack: LocalStack, log: WorkerLog): void {
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    const stopped = stack.stop(({ name, error }) =>
      console.log(error ? `  ✖ ${name} did not stop cleanly: ${errorText(error)}` : `  stopped ${name}`),
    );
    void stopped
      .then(() => removeStackFile(dataDir))
      .then(() => log.close())
      .then(() => {
        console.log(`Stopped. Data kept in ${shown(dataDir)}/ (npm start -- --fresh starts empty).`);
        process.exit(0);
      });
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

const errorText = (err: unknown): string => (err instanceof Error ? err.message : JSON.stringify(err));

main().then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
