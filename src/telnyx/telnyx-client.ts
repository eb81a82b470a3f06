/**
 * Sends Call Control requests to Telnyx and classifies failures (retry? call already over?).
 * Thin fetch client, not the `telnyx` SDK: we need our own command_id/retry policy, a configurable
 * base URL for the local stand-in, and nothing Node-specific in workerd.
 * Does not retry by itself (the Durable Object's outbox does) and never puts request bodies in errors.
 */
import type { TelnyxRequest } from "./commands";

export class TelnyxError extends Error {
  override name = "TelnyxError";
  constructor(
    message: string,
    /** HTTP status; 0 when Telnyx could not be reached. */
    readonly status: number,
    /** Telnyx error code from `errors[0].code`, e.g. "90018". */
    readonly code: string | undefined,
    /** Sending the same request (same command_id) again may succeed. */
    readonly retryable: boolean,
    /** The leg is already gone (422/90018): final, and not a fault of ours. */
    readonly callEnded: boolean,
  ) {
    super(message);
  }
}

export interface TelnyxSendResult {
  /** Set for dial (POST /v2/calls): the new leg's call_control_id. */
  callControlId?: string;
}

export interface TelnyxClient {
  send(req: TelnyxRequest): Promise<TelnyxSendResult>;
}

export interface TelnyxClientOptions {
  /** e.g. https://api.telnyx.com (paths carry /v2 themselves). */
  apiBase: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Abort a request that takes longer than this (default 10 s); counts as retryable. */
  timeoutMs?: number;
}

const CALL_ENDED_CODE = "90018";

export function createTelnyxClient(opts: TelnyxClientOptions): TelnyxClient {
  const base = opts.apiBase.replace(/\/+$/, "");
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const timeoutMs = opts.timeoutMs ?? 10_000;

  return {
    async send(req) {
      const where = `POST ${req.path}`;
      let res: Response;
      try {
        res = await doFetch(base + req.path, {
          method: "POST",
          headers: {
            authorization: `Bearer ${opts.apiKey}`,
            "content-type": "application/json",
            accept: "application/json",
          },
          body: JSON.stringify(req.body),
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (err) {
        const why = err instanceof Error ? err.name : "error";
        throw new TelnyxError(`Telnyx unreachable on ${where} (${why})`, 0, undefined, true, false);
      }
      const json = await readJson(res);
      if (!res.ok) throw errorFrom(res.status, json, where);
      const callControlId = callControlIdOf(json);
      return callControlId ? { callControlId } : {};
    },
  };
}

export function errorFrom(status: number, json: unknown, where: string): TelnyxError {
  const first = firstError(json);
  const callEnded = status === 422 && first.code === CALL_ENDED_CODE;
  const retryable = !callEnded && (status === 408 || status === 429 || status >= 500);
  const codePart = first.code ? ` ${first.code}` : "";
  const titlePart = first.title ? ` (${first.title})` : "";
  return new TelnyxError(
    `Telnyx ${status}${codePart}${titlePart} on ${where}`,
    status,
    first.code,
    retryable,
    callEnded,
  );
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

function firstError(json: unknown): { code?: string; title?: string } {
  const errors = isRecord(json) && Array.isArray(json.errors) ? (json.errors as unknown[]) : [];
  const first = errors[0];
  if (!isRecord(first)) return {};
  const code =
    typeof first.code === "string" || typeof first.code === "number" ? String(first.code) : undefined;
  // Titles are Telnyx's fixed wording ("Call has already ended"); cap length in case of surprises.
  const title = typeof first.title === "string" ? first.title.slice(0, 120) : undefined;
  return { ...(code ? { code } : {}), ...(title ? { title } : {}) };
}

function callControlIdOf(json: unknown): string | undefined {
  if (!isRecord(json) || !isRecord(json.data)) return undefined;
  const id = json.data.call_control_id;
  return typeof id === "string" && id !== "" ? id : undefined;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
