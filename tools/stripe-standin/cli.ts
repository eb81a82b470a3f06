/**
 * Runs the Stripe stand-in from the command line (used by `npm start`):
 *   tsx tools/stripe-standin/cli.ts [--port N] [--host H] [--webhook-url URL] [--webhook-secret whsec_...]
 * Prints one JSON line `{"url":...}` once listening; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startStripeStandin } from "./server";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "webhook-url": { type: "string" },
    "webhook-secret": { type: "string" },
  },
});

const standin = await startStripeStandin({
  host: values.host,
  port: Number(values.port),
  webhookUrl: values["webhook-url"],
  webhookSecret: values["webhook-secret"],
});
process.stdout.write(`${JSON.stringify({ url: standin.url })}\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void standin.close().then(() => process.exit(0));
  });
}
