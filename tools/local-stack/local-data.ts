/**
 * What `npm start` keeps in `.data/` and `--fresh` removes: the libSQL database (with its WAL
 * files), the Durable Objects' storage under wrangler/, the Worker's env file and log, and the
 * stack file. Only those names, only inside a folder named `.data`: nothing else is ever deleted.
 * The stand-in's signing key stays; it holds no call data.
 */
import { rm, stat } from "node:fs/promises";
import path from "node:path";

export const DB_FILE = "meterline.db";

const LOCAL_DATA = [
  DB_FILE,
  `${DB_FILE}-wal`,
  `${DB_FILE}-shm`,
  `${DB_FILE}-journal`,
  "wrangler",
  "worker.env",
  "worker.log",
  "local-stack.json",
];

/** Removes the stack's own files from dataDir; resolves with the names it found and removed. */
export async function removeLocalData(dataDir: string): Promise<string[]> {
  const dir = path.resolve(dataDir);
  if (path.basename(dir) !== ".data") throw new Error(`refusing to clear ${dir}: not a .data folder`);
  const removed: string[] = [];
  for (const name of LOCAL_DATA) {
    const target = path.join(dir, name);
    if (path.dirname(target) !== dir) throw new Error(`refusing to remove ${target}: outside ${dir}`);
    const exists = await stat(target).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    await rm(target, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}
