/**
 * Starts the Telnyx Call Control v2 stand-in: one node:http server for the /v2 API, recordings and
 * the /_sim softphone API, a switchboard of simulated legs, and a signed webhook sender. Used by
 * tests, `npm start` and the bench; no real Telnyx is involved. Binds 127.0.0.1 by default.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { type ApiState, failNext, handleApi } from "./api-routes";
import { AgentDirectory } from "./dialing";
import type { Leg } from "./leg";
import { handleSim } from "./sim-routes";
import { createSigningKey } from "./signing-key";
import { Switchboard } from "./switchboard";
import type { AgentPolicy, SimCall, StandIn, StandinOptions } from "./types";
import { createWebhookSender } from "./webhook-sender";

export type * from "./types";

const DEFAULT_AGENT: AgentPolicy = { kind: "answer", ringMs: 2000 };

export async function startTelnyxStandin(opts: StandinOptions): Promise<StandIn> {
  const timeScale = opts.timeScale ?? 1;
  if (!(timeScale > 0)) throw new Error("timeScale must be > 0");
  const key = createSigningKey(opts.privateKey);
  let baseUrl = "";
  const sender = createWebhookSender({
    url: opts.webhookUrl,
    key,
    delivery: opts.delivery ?? {},
    scale: (ms) => Math.round(ms * timeScale),
  });
  const sb = new Switchboard(sender, timeScale, () => baseUrl);
  const agents = new AgentDirectory(
    opts.agents ?? {},
    opts.defaultAgent ?? DEFAULT_AGENT,
    opts.destinationPrefixes,
  );
  const api: ApiState = { sb, agents, commands: [], injected: [], seen: new Map() };
  const calls = new Map<string, SimCall>();
  const connectionId = opts.connectionId ?? "standin-connection";

  function placeCall(from: string, to: string): Promise<SimCall> {
    const call = simCall(sb, sb.inbound(from, to, connectionId));
    calls.set(call.callControlId, call);
    return Promise.resolve(call);
  }

  const server = createServer((req, res) => {
    const handle = async (): Promise<void> => {
      if (await handleSim({ placeCall, calls }, req, res)) return;
      if (await handleApi(api, req, res)) return;
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ errors: [{ code: "10005", title: "Resource not found", detail: req.url }] }));
    };
    handle().catch((err: unknown) => {
      console.error("telnyx-standin: request failed", err);
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(
        JSON.stringify({ errors: [{ code: "10007", title: "Unexpected error", detail: "stand-in bug" }] }),
      );
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  baseUrl = `http://${host}:${addr.port}`;

  return {
    url: baseUrl,
    publicKeyBase64: key.publicKeyBase64,
    placeCall,
    commands: api.commands,
    webhooks: sender.attempts,
    heardBy: (id) => sb.legs.get(id)?.heard ?? [],
    setAgentPolicy: (dest, policy) => agents.set(dest, policy),
    setPrefixPolicy: (prefix, policy) => agents.setPrefix(prefix, policy),
    setDelivery: (mode) => sender.setDelivery(mode),
    failNext: (o) => failNext(api, o),
    async close() {
      sb.close();
      await sender.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The PSTN caller's side of an inbound leg. */
function simCall(sb: Switchboard, leg: Leg): SimCall {
  return {
    callControlId: leg.id,
    callSessionId: leg.sessionId,
    heard: leg.heard,
    ended: leg.ended,
    pressKeys: (digits) => sb.pressKeys(leg, digits),
    say: (text) => sb.say(leg, text),
    hangup() {
      // Hanging up before the app answered is a cancel, as the network reports it.
      sb.hangup(leg, leg.state === "parked" ? "originator_cancel" : "normal_clearing", "caller");
      return Promise.resolve();
    },
    on(listener) {
      leg.listeners.add(listener);
      return () => leg.listeners.delete(listener);
    },
  };
}
