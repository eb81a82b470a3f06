/**
 * `.data/local-stack.json`: where a running `npm start` can be reached (Worker URL and local admin
 * token, stand-in URLs). Written once the stack is up, removed when it stops, so a file left behind
 * means a stack that died; readers still check that it answers before trusting it.
 */
import { existsSync, readFileSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";

export type StackFile = {
  worker: { url: string; adminToken: string };
  telnyx: { url: string };
  stripe: { url: string };
  /** The agent line's billing-service stand-in (`npm run billing`). */
  billing: { url: string };
  /** The CRM stand-in secure-payment records are posted to. */
  crm: { url: string };
  libsql: { url: string };
  /** The `npm start` process. */
  pid: number;
};

export const stackFilePath = (dataDir: string): string => path.join(dataDir, "local-stack.json");

export async function writeStackFile(dataDir: string, stack: StackFile): Promise<void> {
  await writeFile(stackFilePath(dataDir), `${JSON.stringify(stack, null, 2)}\n`, { mode: 0o600 });
}

export async function removeStackFile(dataDir: string): Promise<void> {
  await rm(stackFilePath(dataDir), { force: true });
}

/** Thrown when there is no (usable) stack file: the stack is not running. */
export class NoLocalStack extends Error {}

/** The stack file's contents, or NoLocalStack saying what is missing. */
export function readStackFile(dataDir: string): Partial<StackFile> & { telnyx: { url: string } } {
  const file = stackFilePath(dataDir);
  const shown = path.relative(process.cwd(), file) || file;
  if (!existsSync(file)) throw new NoLocalStack(`${shown} not found`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    throw new NoLocalStack(`${shown} is not valid JSON`);
  }
  const stack = parsed as Partial<StackFile> | null;
  if (typeof stack?.telnyx?.url !== "string") throw new NoLocalStack(`${shown} has no telnyx.url`);
  return stack as Partial<StackFile> & { telnyx: { url: string } };
}

/** Any answer from the Worker's /health counts: a 503 is a Worker running without its database. */
export async function workerAnswers(workerUrl: string, timeoutMs = 3000): Promise<boolean> {
  try {
    const res = await fetch(`${workerUrl.replace(/\/+$/, "")}/health`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body?.cancel();
    return true;
  } catch {
    return false;
  }
}
