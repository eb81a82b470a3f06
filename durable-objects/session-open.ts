/**
 * A call's first event: which line was dialled (Turso), which flow answers it, and the session
 * the CallSession stores before the flow sees anything.
 */
import { loadConfig } from "../src/config";
import { createDb } from "../src/db/client";
import { findActiveLineByNumber } from "../src/db/lines";
import type { AnyFlow } from "../src/engine/product";
import type { EngineEvent } from "../src/ivr/types";
import { products } from "../src/products/registry";
import { STATE_SCHEMA_VERSION, type SessionMeta } from "./call-store";

export function flowNamed(name: string): AnyFlow {
  const product = products.get(name);
  if (!product) throw new Error(`no flow for product ${name}`);
  return product.flow;
}

/** Throws if Turso is down: the route answers 5xx and Telnyx redelivers. */
export async function openSession(
  env: Env,
  sessionId: string,
  event: Extract<EngineEvent, { type: "call_started" }>,
): Promise<SessionMeta> {
  const cfg = loadConfig(env);
  const line = await findActiveLineByNumber(createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN), event.to);
  // A merchant's line whose Stripe account cannot take charges is not in service: its callers
  // must never be charged, and never on the platform's account by mistake.
  const unpaid = line?.payee ? !line.payee.chargesEnabled : false;
  if (unpaid)
    console.warn(JSON.stringify({ msg: "line.merchant_not_chargeable", call: sessionId, line: line?.id }));
  const flowName = line && !unpaid && products.get(line.product) ? line.product : "not_in_service";
  const lineInfo = line ?? {
    id: "",
    number: event.to,
    name: "",
    product: flowName,
    voice: "female",
    config: {},
  };
  const flow = flowNamed(flowName);
  return {
    schema: STATE_SCHEMA_VERSION,
    sessionId,
    flow: flowName,
    flowVersion: flow.stateVersion ?? 1,
    line: lineInfo,
    version: 0,
    state: flow.init({ now: Date.now(), sessionId, line: lineInfo }),
    startedAt: event.at,
    lastEventAt: Date.now(),
    lastEventTime: event.at,
    liveLegs: {},
    sensitive: false,
    doneAt: null,
    connectionId: event.connectionId ?? null,
  };
}
