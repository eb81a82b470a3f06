/**
 * `npm start`: the whole product on this machine — local libSQL (.data/meterline.db), Stripe and
 * Telnyx stand-ins, and wrangler dev — then prints where everything is. Real peers configured in the
 * environment (TELNYX_API_BASE + TELNYX_PUBLIC_KEY, STRIPE_API_BASE) replace the stand-ins.
 * Ctrl-C stops every child; the database and the stand-in's signing key survive for the next run.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startLocalStack } from "./local-stack/stack";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = path.join(root, ".data");
const env = process.env;

async function main(): Promise<void> {
  console.log("Starting Meterline's local stack…");
  const stack = await startLocalStack({
    root,
    dataDir,
    port: Number(env.PORT ?? 8931),
    dbFile: path.join(dataDir, "meterline.db"),
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
    onWorkerLine: (line) => {
      if (line.startsWith("{")) console.log(`  worker ${line}`);
    },
  });
  await writeFile(
    path.join(dataDir, "local-stack.json"),
    JSON.stringify(
      {
        worker: { url: stack.workerUrl },
        telnyx: { url: stack.telnyxUrl },
        stripe: { url: stack.stripeUrl },
        libsql: { url: stack.libsqlUrl },
      },
      null,
      2,
    ),
  );
  const lines = stack.demo.lines.map((l) => `    ${l.number}  ${l.name}`).join("\n");
  console.log(`
Meterline is running.
  Worker        ${stack.workerUrl}
  Health        ${stack.workerUrl}/health
  API docs      ${stack.workerUrl}/api/docs
  OpenAPI       ${stack.workerUrl}/api/openapi.json
  Admin token   ${stack.adminToken}   (local demo only)
  Telnyx        ${stack.telnyx ? `stand-in at ${stack.telnyxUrl}` : `real peer at ${stack.telnyxUrl}`}
  Stripe        ${env.STRIPE_API_BASE ? "real peer" : "stand-in"} at ${stack.stripeUrl}
  libSQL        ${stack.libsqlUrl}  (.data/meterline.db)

Demo numbers:
${lines}

Call one from a second terminal:
    npm run phone -- +15550100001 --keys 1
    npm run phone -- +18005550100          (interactive: type keys; test card 4242424242424242)
    npm run phone -- +18005550300 --keys "111122223333#,011442079460000#" --hangup-after 20
                                           (calling card: demo PINs 111122223333, 444455556666, 777788889999)
Ctrl-C stops everything.
`);
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    console.log("\nStopping…");
    void stack.stop().then(() => process.exit(0));
  };
  process.on("SIGINT", shutdown);
  process.on("SIGTERM", shutdown);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
