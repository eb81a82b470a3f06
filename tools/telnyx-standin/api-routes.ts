/**
 * The Telnyx-facing HTTP API under /v2: Bearer auth, JSON bodies checked against the spec's rules,
 * injected failures (failNext), command_id dedupe per leg for 60 s, and a record of every command.
 * Answers first, then runs the command's effect, as Telnyx does. Also serves recording files.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { type ActionContext, type Effect, prepareAction, prepareDial } from "./actions";
import { validateBody } from "./body-rules";
import { BadJson, readJson, sendJson } from "./http-util";
import type { Leg } from "./leg";
import { listRecordings, recordingFile, recordingUrlUsable, URL_LIFETIME_MS } from "./recording";
import { TelnyxError, telnyxErrors } from "./telnyx-errors";
import type { FailNextOptions, RecordedCommand } from "./types";

/** Telnyx ignores a repeated command_id for the same leg within this window. */
const DEDUPE_WINDOW_MS = 60_000;
/** Telnyx answers a command before its webhooks; leave a moment between the two. */
const EFFECT_DELAY_MS = 30;

type Injected = { action?: string; status: number; code?: string; remaining: number };

export type ApiState = ActionContext & {
  commands: RecordedCommand[];
  injected: Injected[];
  seen: Map<string, { until: number; answer: unknown }>;
};

export function failNext(state: ApiState, opts: FailNextOptions): void {
  state.injected.push({ ...opts, remaining: opts.count ?? 1 });
}

function takeInjected(state: ApiState, action: string): TelnyxError | undefined {
  const hit = state.injected.find((i) => i.remaining > 0 && (!i.action || i.action === action));
  if (!hit) return undefined;
  hit.remaining -= 1;
  state.injected = state.injected.filter((i) => i.remaining > 0);
  return telnyxErrors.injected(hit.status, hit.code);
}

function hasBearer(req: IncomingMessage): boolean {
  const m = /^Bearer\s+(\S+)/i.exec(req.headers.authorization ?? "");
  return Boolean(m?.[1]);
}

const ACTION_PATH = /^\/v2\/calls\/([^/]+)\/actions\/([a-z_]+)$/;
const CALL_PATH = /^\/v2\/calls\/([^/]+)$/;

/** GET /v2/calls/{call_control_id}: Telnyx's call status (is_alive; end_time once ended). */
function callStatus(state: ApiState, id: string, res: ServerResponse): void {
  const leg = state.sb.legs.get(id);
  if (!leg) {
    const e = telnyxErrors.notFound(`/v2/calls/${id}`);
    sendJson(res, e.status, e.toBody());
    return;
  }
  const alive = leg.state !== "ended";
  const started = Date.parse(leg.startTime);
  sendJson(res, 200, {
    data: {
      record_type: "call",
      call_control_id: leg.id,
      call_leg_id: leg.legId,
      call_session_id: leg.sessionId,
      is_alive: alive,
      start_time: leg.startTime,
      ...(leg.clientState ? { client_state: leg.clientState } : {}),
      ...(!alive && leg.endTime
        ? { end_time: leg.endTime, call_duration: Math.round((Date.parse(leg.endTime) - started) / 1000) }
        : {}),
    },
  });
}

/** Handles /v2/* and /recordings/*; returns false for paths it does not own. */
export async function handleApi(
  state: ApiState,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  const url = new URL(req.url ?? "/", "http://x");
  const path = url.pathname;
  const rec = /^\/recordings\/([0-9a-f-]+)\.(mp3|wav)$/.exec(path);
  if (rec && req.method === "GET") {
    const file = recordingFile(rec[2] ?? "");
    if (!file) return false;
    if (!recordingUrlUsable(rec[1] ?? "", url.searchParams.get("expires"))) {
      sendJson(res, 403, {
        errors: [{ code: "10003", title: "Forbidden", detail: "Recording URL expired" }],
      });
      return true;
    }
    res.writeHead(200, { "content-type": file.type, "content-length": file.bytes.length });
    res.end(file.bytes);
    return true;
  }
  if (path === "/v2/recordings" && req.method === "GET") {
    if (!hasBearer(req)) {
      const e = telnyxErrors.authFailed();
      sendJson(res, e.status, e.toBody());
      return true;
    }
    const data = listRecordings(state.sb.baseUrl(), url.searchParams, state.sb.scaledMs(URL_LIFETIME_MS));
    sendJson(res, 200, {
      data,
      meta: { page_number: 1, page_size: 250, total_pages: 1, total_results: data.length },
    });
    return true;
  }
  if (!path.startsWith("/v2/")) return false;
  const status = CALL_PATH.exec(path);
  if (status && req.method === "GET") {
    if (!hasBearer(req)) {
      const e = telnyxErrors.authFailed();
      sendJson(res, e.status, e.toBody());
      return true;
    }
    callStatus(state, decodeURIComponent(status[1] ?? ""), res);
    return true;
  }
  const match = ACTION_PATH.exec(path);
  const action = path === "/v2/calls" ? "dial" : match?.[2];
  const record: RecordedCommand = {
    path,
    action: action ?? "unknown",
    call_control_id: match?.[1] ? decodeURIComponent(match[1]) : null,
    body: null,
    command_id: null,
    status: 0,
    executed: false,
    receivedAt: Date.now(),
  };
  let effect: Effect | undefined;
  try {
    if (!hasBearer(req)) throw telnyxErrors.authFailed();
    if (req.method !== "POST" || !action) throw telnyxErrors.notFound(path);
    const raw = await readJson(req);
    record.body = raw;
    const cid = (raw as { command_id?: unknown } | null)?.command_id;
    record.command_id = typeof cid === "string" ? cid : null;
    const injected = takeInjected(state, action);
    if (injected) throw injected;
    const out = action === "dial" ? runDial(state, raw, record) : runAction(state, action, raw, record);
    effect = out.effect;
    record.status = 200;
    sendJson(res, 200, { data: out.data });
  } catch (err) {
    const e = err instanceof TelnyxError ? err : err instanceof BadJson ? telnyxErrors.badJson() : undefined;
    if (!e) throw err;
    record.status = e.status;
    sendJson(res, e.status, e.toBody());
  }
  state.commands.push(record);
  if (effect) state.sb.later(EFFECT_DELAY_MS, effect);
  return true;
}

type Outcome = { data: unknown; effect?: Effect };

/** A command_id already executed for this key within the window: the earlier answer, not run again. */
function repeated(state: ApiState, key: string | null): unknown {
  if (!key) return undefined;
  const hit = state.seen.get(key);
  return hit && hit.until > Date.now() ? hit.answer : undefined;
}

function remember(state: ApiState, key: string | null, answer: unknown): void {
  if (!key) return;
  const now = Date.now();
  for (const [k, v] of state.seen) if (v.until <= now) state.seen.delete(k);
  state.seen.set(key, { until: now + DEDUPE_WINDOW_MS, answer });
}

function runAction(state: ApiState, action: string, raw: unknown, record: RecordedCommand): Outcome {
  const leg = state.sb.legs.get(record.call_control_id ?? "");
  if (!leg) throw telnyxErrors.invalidCallControlId();
  const body = validateBody(action, raw);
  const key = record.command_id ? `${leg.id}|${record.command_id}` : null;
  const earlier = repeated(state, key);
  if (earlier !== undefined) return { data: earlier };
  const effect = prepareAction(state, action, leg, body);
  setClientState(leg, body.client_state);
  const data = { result: "ok" };
  remember(state, key, data);
  record.executed = true;
  return { data, effect };
}

function runDial(state: ApiState, raw: unknown, record: RecordedCommand): Outcome {
  const body = validateBody("dial", raw);
  const key = record.command_id ? `dial|${record.command_id}` : null;
  const earlier = repeated(state, key);
  if (earlier !== undefined) return { data: earlier };
  const { leg, effect } = prepareDial(state, body);
  record.call_control_id = leg.id;
  const data = {
    call_control_id: leg.id,
    call_leg_id: leg.legId,
    call_session_id: leg.sessionId,
    is_alive: true,
    record_type: "call",
    ...(leg.clientState ? { client_state: leg.clientState } : {}),
    start_time: leg.startTime,
  };
  remember(state, key, data);
  record.executed = true;
  return { data, effect };
}

/** Sticky per leg: once set, every later event of the leg carries it. */
function setClientState(leg: Leg, value: unknown): void {
  if (typeof value === "string" && value) leg.clientState = value;
}
