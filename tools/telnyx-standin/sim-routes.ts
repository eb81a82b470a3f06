/**
 * The softphone's control API (not Telnyx): place a PSTN call, press keys, say an answer to a
 * voice question, hang up, and follow what
 * the caller hears as Server-Sent Events (every HeardItem as JSON, then a final `ended` event).
 * Lives under /_sim so it can never be mistaken for the Telnyx API.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BadJson, readJson, sendJson } from "./http-util";
import type { SimCall } from "./types";

export type SimHost = { placeCall(from: string, to: string): Promise<SimCall>; calls: Map<string, SimCall> };

/** Sends a JSON reply and reports the request as handled. */
function reply(res: ServerResponse, status: number, body: unknown): true {
  sendJson(res, status, body);
  return true;
}

const CALL_PATH = /^\/_sim\/calls\/([^/]+)\/(dtmf|say|hangup|events)$/;

export async function handleSim(host: SimHost, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = new URL(req.url ?? "/", "http://x").pathname;
  if (!path.startsWith("/_sim/")) return false;
  try {
    if (path === "/_sim/calls" && req.method === "POST") {
      const body = (await readJson(req)) as { from?: unknown; to?: unknown };
      if (typeof body.to !== "string" || !body.to) return reply(res, 400, { error: "to is required" });
      const from = typeof body.from === "string" && body.from ? body.from : "+15550000000";
      const call = await host.placeCall(from, body.to);
      sendJson(res, 200, { callControlId: call.callControlId, callSessionId: call.callSessionId });
      return true;
    }
    const m = CALL_PATH.exec(path);
    const call = m ? host.calls.get(decodeURIComponent(m[1] ?? "")) : undefined;
    if (!m || !call) return reply(res, 404, { error: "no such call" });
    if (m[2] === "events" && req.method === "GET") {
      streamEvents(call, req, res);
      return true;
    }
    if (req.method !== "POST") return reply(res, 405, { error: "method not allowed" });
    if (m[2] === "dtmf") {
      const body = (await readJson(req)) as { digits?: unknown };
      if (typeof body.digits !== "string") return reply(res, 400, { error: "digits is required" });
      call.pressKeys(body.digits);
    } else if (m[2] === "say") {
      const body = (await readJson(req)) as { text?: unknown };
      if (typeof body.text !== "string") return reply(res, 400, { error: "text is required" });
      call.say(body.text);
    } else {
      await call.hangup();
    }
    sendJson(res, 200, { ok: true });
  } catch (err) {
    if (!(err instanceof BadJson)) throw err;
    sendJson(res, 400, { error: "invalid JSON" });
  }
  return true;
}

/** Replays what was already heard (so a late subscriber misses nothing), then follows live. */
function streamEvents(call: SimCall, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, {
    "content-type": "text/event-stream",
    "cache-control": "no-cache",
    connection: "keep-alive",
  });
  // Send the headers now: a call that has not been heard yet must not leave the client waiting.
  res.flushHeaders();
  for (const item of call.heard) res.write(`data: ${JSON.stringify(item)}\n\n`);
  const off = call.on((item) => res.write(`data: ${JSON.stringify(item)}\n\n`));
  let open = true;
  req.on("close", () => {
    open = false;
    off();
  });
  void call.ended.then((ended) => {
    if (!open) return;
    off();
    res.end(`event: ended\ndata: ${JSON.stringify(ended)}\n\n`);
  });
}
