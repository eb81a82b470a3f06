/**
 * HTTP client for the Telnyx stand-in's softphone control API (/_sim): place a PSTN call, send DTMF,
 * hang up, and follow what the caller hears over Server-Sent Events. Transport only, no scripting.
 */
import type { HeardItem } from "../telnyx-standin/types";

export type SimClient = {
  placeCall(from: string, to: string): Promise<{ callControlId: string; callSessionId: string }>;
  sendDigits(callControlId: string, digits: string): Promise<void>;
  /** Speaks an answer to the call's open voice question. */
  say(callControlId: string, text: string): Promise<void>;
  hangup(callControlId: string): Promise<void>;
  /** Streams heard items to onItem; resolves with the hang-up cause when the call ends. */
  follow(callControlId: string, onItem: (item: HeardItem) => void): Promise<{ cause: string }>;
};

/** The stand-in could not be reached at all (nothing listening, connection reset, not a stand-in). */
export class StandinUnreachable extends Error {
  constructor(
    readonly url: string,
    detail: string,
  ) {
    super(`the Telnyx stand-in at ${url} ${detail}`);
  }
}

/** fetch, with a failure to connect reported as StandinUnreachable instead of "fetch failed". */
async function reach(base: string, url: string, init?: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init);
  } catch (err) {
    const code = (err as { cause?: { code?: unknown } }).cause?.code;
    throw new StandinUnreachable(base, `is not answering${typeof code === "string" ? ` (${code})` : ""}`);
  }
}

export function createSimClient(standinUrl: string): SimClient {
  const base = standinUrl.replace(/\/+$/, "");
  const callUrl = (id: string, what: string): string =>
    `${base}/_sim/calls/${encodeURIComponent(id)}/${what}`;

  async function post(url: string, body: object): Promise<unknown> {
    const res = await reach(base, url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`stand-in answered ${res.status} to ${url}`);
    return res.json();
  }

  return {
    async placeCall(from, to) {
      const res = await reach(base, `${base}/_sim/calls`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ from, to }),
      });
      // A stale address may now belong to another server: only a stand-in answers /_sim/calls.
      if (res.status === 404) throw new StandinUnreachable(base, "has no /_sim API (is it a stand-in?)");
      if (!res.ok) throw new Error(`stand-in answered ${res.status} to ${base}/_sim/calls`);
      return (await res.json()) as { callControlId: string; callSessionId: string };
    },
    async sendDigits(id, digits) {
      await post(callUrl(id, "dtmf"), { digits });
    },
    async say(id, text) {
      await post(callUrl(id, "say"), { text });
    },
    async hangup(id) {
      await post(callUrl(id, "hangup"), {});
    },
    async follow(id, onItem) {
      const res = await reach(base, callUrl(id, "events"), { headers: { accept: "text/event-stream" } });
      if (!res.ok || !res.body) throw new Error(`stand-in answered ${res.status} to the event stream`);
      const decoder = new TextDecoder();
      const reader = res.body.getReader();
      let buffer = "";
      for (;;) {
        let chunk: ReadableStreamReadResult<Uint8Array>;
        try {
          chunk = await reader.read();
        } catch {
          throw new StandinUnreachable(base, "stopped answering during the call");
        }
        if (chunk.done) break;
        buffer += decoder.decode(chunk.value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const frame = parseFrame(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (frame.event === "ended") return JSON.parse(frame.data) as { cause: string };
          if (frame.data) onItem(JSON.parse(frame.data) as HeardItem);
        }
      }
      throw new StandinUnreachable(base, "closed the event stream before the call ended");
    },
  };
}

function parseFrame(frame: string): { event: string; data: string } {
  let event = "message";
  const data: string[] = [];
  for (const line of frame.split("\n")) {
    if (line.startsWith("event:")) event = line.slice(6).trim();
    else if (line.startsWith("data:")) data.push(line.slice(5).trimStart());
  }
  return { event, data: data.join("\n") };
}
