/**
 * Runs the Telnyx stand-in from the command line (used by `npm start`):
 *   tsx tools/telnyx-standin/cli.ts --webhook-url URL [--port N] [--key-file F] [--time-scale X]
 * The signing key persists as PKCS8 PEM in the key file so the Worker's TELNYX_PUBLIC_KEY is stable.
 * Prints one JSON line {"url","publicKey"} once listening; stops on SIGINT/SIGTERM.
 */
import { parseArgs } from "node:util";
import { startTelnyxStandin } from "./server";
import { loadOrCreateKeyFile } from "./signing-key";

const { values } = parseArgs({
  options: {
    "webhook-url": { type: "string" },
    port: { type: "string", default: "0" },
    host: { type: "string", default: "127.0.0.1" },
    "key-file": { type: "string" },
    "time-scale": { type: "string", default: "1" },
  },
});

const webhookUrl = values["webhook-url"];
if (!webhookUrl) {
  console.error("usage: telnyx-standin --webhook-url URL [--port N] [--key-file F] [--time-scale X]");
  process.exit(2);
}

const keyFile = values["key-file"];
const standin = await startTelnyxStandin({
  webhookUrl,
  host: values.host,
  port: Number(values.port),
  timeScale: Number(values["time-scale"]),
  ...(keyFile ? { privateKey: loadOrCreateKeyFile(keyFile) } : {}),
});
console.log(JSON.stringify({ url: standin.url, publicKey: standin.publicKeyBase64 }));

const stop = (): void => {
  void standin.close().then(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
