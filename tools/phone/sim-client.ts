/**
 * HTTP client for the Telnyx stand-in's softphone control API (/_sim): place a PSTN call, send DTMF,
 * hang up, and follow what the caller hears over Server-Sent Events. Transport only, no scripting.
 */
import type { HeardItem } from "../telnyx-standin/types";

export type SimClient = {
  placeCall(from: string, to: string): Promise<{ callControlId: string; callSessionId: string }>;
  sendDigits(callControlId: string, digits: string): Promise<void>;
  hangup(callControlId: string): Promise<void>;
  /** Streams heard items to onItem; resolves with the hang-up cause when the call ends. */
  follow(callControlId: string, onItem: (item: HeardItem) => void): Promise<{ cause: string }>;
};

export function createSimClient(standinUrl: string): SimClient {
  const base = standinUrl.replace(/\/+$/, "");
  const callUrl = (id: string, what: string): string =>
    `${base}/_sim/calls/${encodeURIComponent(id)}/${what}`;

  async function post(url: string, body: object): Promise<unknown> {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`stand-in answered ${res.status} to ${url}`);
    return res.json();
  }

  return {
    async placeCall(from, to) {
      return (await post(`${base}/_sim/calls`, { from, to })) as {
        callControlId: string;
        callSessionId: string;
      };
    },
    async sendDigits(id, digits) {
      await post(callUrl(id, "dtmf"), { digits });
    },
    async hangup(id) {
      await post(callUrl(id, "hangup"), {});
    },
    async follow(id, onItem) {
      const res = await fetch(callUrl(id, "events"), { headers: { accept: "text/event-stream" } });
      if (!res.ok || !res.body) throw new Error(`stand-in answered ${res.status} to the event stream`);
      const decoder = new TextDecoder();
      let buffer = "";
      for await (const chunk of res.body) {
        buffer += decoder.decode(chunk, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf("\n\n")) >= 0) {
          const frame = parseFrame(buffer.slice(0, cut));
          buffer = buffer.slice(cut + 2);
          if (frame.event === "ended") return JSON.parse(frame.data) as { cause: string };
          if (frame.data) onItem(JSON.parse(frame.data) as HeardItem);
        }
      }
      throw new Error("event stream closed before the call ended");
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
