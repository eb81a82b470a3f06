/**
 * Where `npm start` puts the Worker's output: every line of wrangler dev goes to a log file
 * (started afresh each run), so the banner with the URL, token and numbers stays readable; on
 * request (--logs, METERLINE_LOGS=1) the Worker's JSON log lines are shown on the terminal too.
 */
import { createWriteStream } from "node:fs";

export type WorkerLog = {
  file: string;
  /** Lines written so far (0: wrangler never said anything, e.g. it did not get to start). */
  lines(): number;
  line(text: string): void;
  close(): Promise<void>;
};

export function openWorkerLog(file: string, echo?: (text: string) => void): WorkerLog {
  const stream = createWriteStream(file, { flags: "w", mode: 0o600 });
  // A failing log (disk full) must not take the stack down: say so once and keep running.
  let failed = false;
  let written = 0;
  stream.on("error", (err) => {
    if (!failed) console.error(`worker log ${file}: ${err.message}`);
    failed = true;
  });
  return {
    file,
    lines: () => written,
    line(text) {
      written += 1;
      if (!failed) stream.write(`${text}\n`);
      // The JSON lines are the Worker's own logs (call transitions); the rest is wrangler's chatter.
      if (echo && text.startsWith("{")) echo(`  worker ${text}`);
    },
    close: () => new Promise<void>((resolve) => stream.end(() => resolve())),
  };
}
