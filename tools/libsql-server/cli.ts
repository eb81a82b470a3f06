/**
 * Runs the local libSQL server from a terminal or a parent process:
 *   npx tsx tools/libsql-server/cli.ts --file .data/meterline.db --port 0
 * Prints one JSON line {"url": ...} once listening (parents read it to learn the port), then
 * serves until SIGINT/SIGTERM, when it closes streams and the database cleanly.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { startLibsqlServer } from "./server";

const { values } = parseArgs({
  options: {
    file: { type: "string", default: ":memory:" },
    host: { type: "string", default: "127.0.0.1" },
    port: { type: "string", default: "0" },
  },
});

const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be an integer 0-65535, got ${values.port}`);
  process.exit(2);
}
if (values.file !== ":memory:") mkdirSync(dirname(values.file), { recursive: true });

const server = await startLibsqlServer({ file: values.file, host: values.host, port });
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`);

let stopping = false;
function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`libsql-server: failed to close on ${signal}`, error);
      process.exit(1);
    },
  );
}
process.on("SIGINT", () => stop("SIGINT"));
process.on("SIGTERM", () => stop("SIGTERM"));
