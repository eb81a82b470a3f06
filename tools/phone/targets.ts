/**
 * Where the softphone calls through and whom it asks for the summary: the flags (--standin,
 * --worker, --token) or else `.data/local-stack.json`, which `npm start` writes. A stack file whose
 * Worker does not answer is a stack that died without cleaning up: that is "not running", said
 * plainly, instead of a `fetch failed` from deep inside the first request.
 */
import path from "node:path";
import { DEMO_ADMIN_TOKEN } from "../local-stack/seed";
import { NoLocalStack, readStackFile, workerAnswers } from "../local-stack/stack-file";
import type { WorkerApi } from "./call-summary";

export const NOT_RUNNING = "the local stack is not running — start it with `npm start`";

export type PhoneTargets = {
  ok: true;
  standinUrl: string;
  /** Asked for the end-of-call summary; absent when only --standin was given. */
  worker?: WorkerApi;
  /** The addresses came from the stack file, so an unreachable stand-in means "not running". */
  fromStackFile: boolean;
};

export async function resolveTargets(
  flags: { standin?: string; worker?: string; token?: string },
  /** Where `npm start` (run in the project folder, as `npm run phone` is) keeps the stack file. */
  dataDir = path.join(process.cwd(), ".data"),
): Promise<PhoneTargets | { ok: false; reason: string }> {
  const token = flags.token ?? DEMO_ADMIN_TOKEN;
  if (flags.standin) {
    const worker = flags.worker ? { url: flags.worker, token } : undefined;
    return { ok: true, standinUrl: flags.standin, ...(worker ? { worker } : {}), fromStackFile: false };
  }
  let stack: ReturnType<typeof readStackFile>;
  try {
    stack = readStackFile(dataDir);
  } catch (err) {
    if (err instanceof NoLocalStack) return { ok: false, reason: `${NOT_RUNNING}\n  (${err.message})` };
    throw err;
  }
  const url = flags.worker ?? stack.worker?.url;
  const worker = url ? { url, token: flags.token ?? stack.worker?.adminToken ?? token } : undefined;
  if (worker && !(await workerAnswers(worker.url))) {
    const file = path.relative(process.cwd(), path.join(dataDir, "local-stack.json"));
    return { ok: false, reason: `${NOT_RUNNING}\n  (${file} names ${worker.url}, which is not answering)` };
  }
  return { ok: true, standinUrl: stack.telnyx.url, ...(worker ? { worker } : {}), fromStackFile: true };
}
