/**
 * Sends Call Control requests through the official `telnyx` SDK (it runs in workerd over fetch)
 * and classifies failures (retry? call already over?). The SDK's own retries are off: the call's
 * outbox retries with the same command_id. The base URL comes from config, so the local stand-in
 * and tests serve it. Never puts request bodies (prompts, digits read back) in errors.
 */
import { Telnyx, APIConnectionError, APIError } from "telnyx";
import { pathOf, type TelnyxRequest } from "./commands";

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

/** What GET /v2/calls/{call_control_id} says about a leg. */
export interface LegStatus {
  alive: boolean;
  /** When it ended (epoch ms), once it has; Telnyx keeps this about 10 minutes after the end. */
  endedAt: number | null;
}

export interface TelnyxClient {
  send(req: TelnyxRequest): Promise<TelnyxSendResult>;
  legStatus(callControlId: string): Promise<LegStatus>;
}

export interface TelnyxClientOptions {
  /** e.g. https://api.telnyx.com (the SDK's paths go under /v2). */
  apiBase: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Abort a request that takes longer than this (default 10 s); counts as retryable. */
  timeoutMs?: number;
}

const CALL_ENDED_CODE = "90018";

export function createTelnyxClient(opts: TelnyxClientOptions): TelnyxClient {
  const sdk = new Telnyx({
    apiKey: opts.apiKey,
    baseURL: `${opts.apiBase.replace(/\/+$/, "")}/v2`,
    maxRetries: 0,
    timeout: opts.timeoutMs ?? 10_000,
    ...(opts.fetch ? { fetch: opts.fetch } : { fetch: (input, init) => fetch(input, init) }),
  });
  return {
    async send(req) {
      try {
        const answer = await dispatch(sdk, req);
        const id = (answer as { data?: { call_control_id?: unknown } } | undefined)?.data?.call_control_id;
        return typeof id === "string" && id !== "" ? { callControlId: id } : {};
      } catch (err) {
        throw toTelnyxError(err, `POST ${pathOf(req)}`);
      }
    },
    async legStatus(callControlId) {
      try {
        const { data } = await sdk.calls.retrieveStatus(callControlId);
        const ended = data?.end_time ? Date.parse(data.end_time) : Number.NaN;
        return { alive: data?.is_alive === true, endedAt: Number.isNaN(ended) ? null : ended };
      } catch (err) {
        throw toTelnyxError(err, `GET /v2/calls/${encodeURIComponent(callControlId)}`);
      }
    },
  };
}

/** One SDK method per action: the SDK builds the path and sends the typed body as JSON. */
function dispatch(sdk: Telnyx, req: TelnyxRequest): Promise<unknown> {
  const a = sdk.calls.actions;
  switch (req.action) {
    case "answer":
      return a.answer(req.leg, req.body);
    case "speak":
      return a.speak(req.leg, req.body);
    case "gather_using_speak":
      return a.gatherUsingSpeak(req.leg, req.body);
    case "gather_stop":
      return a.stopGather(req.leg, req.body);
    case "gather_using_ai":
      return a.gatherUsingAI(req.leg, req.body);
    case "playback_start":
      return a.startPlayback(req.leg, req.body);
    case "playback_stop":
      return a.stopPlayback(req.leg, req.body);
    case "bridge":
      return a.bridge(req.leg, req.body);
    case "enqueue":
      return a.enqueue(req.leg, req.body);
    case "leave_queue":
      return a.leaveQueue(req.leg, req.body);
    case "transfer":
      return a.transfer(req.leg, req.body);
    case "record_start":
      return a.startRecording(req.leg, req.body);
    case "record_stop":
      return a.stopRecording(req.leg, req.body);
    case "record_pause":
      return a.pauseRecording(req.leg, req.body);
    case "record_resume":
      return a.resumeRecording(req.leg, req.body);
    case "hangup":
      return a.hangup(req.leg, req.body);
    case "dial":
      return sdk.calls.dial(req.body);
  }
}

function toTelnyxError(err: unknown, where: string): TelnyxError {
  if (err instanceof APIConnectionError || !(err instanceof APIError)) {
    const why = err instanceof Error ? err.name : "error";
    return new TelnyxError(`Telnyx unreachable on ${where} (${why})`, 0, undefined, true, false);
  }
  const status: number = typeof err.status === "number" ? err.status : 0;
  return errorFrom(status, err.error, where);
}

export function errorFrom(status: number, json: unknown, where: string): TelnyxError {
  const first = firstError(json);
  const callEnded = status === 422 && first.code === CALL_ENDED_CODE;
  const retryable = !callEnded && (status === 0 || status === 408 || status === 429 || status >= 500);
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

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
