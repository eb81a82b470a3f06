/**
 * POST /webhooks/telnyx: verify the Ed25519 signature over the raw body, map the Call Control
 * event to our vocabulary, and hand it to the call's CallSession Durable Object. Telnyx does not
 * retry 4xx, so only "we could not take it" answers 5xx (then Telnyx redelivers, and the DO dedupes).
 * A request without the signature headers, or with a body over 64 KB, is refused before it is read.
 */
import { Hono } from "hono";
import { ProblemError } from "../api/problem";
import { loadConfig } from "../config";
import { createDb } from "../db/client";
import { recordLegCost } from "../db/call-costs";
import { mapTelnyxWebhook } from "../telnyx/webhook-events";
import { verifyTelnyxSignature } from "../telnyx/verify-signature";
import { readBodyUpTo, WEBHOOK_BODY_LIMIT } from "./webhook-body";

const problem = (status: 400 | 401 | 413 | 503, title: string, detail: string) =>
  new ProblemError(status, title, detail).toResponse();

export const telnyxWebhooks = new Hono<{ Bindings: Env }>();

telnyxWebhooks.post("/", async (c) => {
  const signatureB64 = c.req.header("telnyx-signature-ed25519") ?? null;
  const timestamp = c.req.header("telnyx-timestamp") ?? null;
  if (!signatureB64 || !timestamp) {
    console.warn(JSON.stringify({ msg: "telnyx.webhook_rejected", reason: "missing" }));
    return problem(401, "Unauthorized", "Send telnyx-signature-ed25519 and telnyx-timestamp headers.");
  }
  const cfg = loadConfig(c.env);
  // The signature covers the exact bytes sent: read them before anything parses the body.
  const rawBody = await readBodyUpTo(c.req.raw);
  if (rawBody === null) {
    console.warn(JSON.stringify({ msg: "telnyx.webhook_rejected", reason: "too_large" }));
    return problem(413, "Content Too Large", `Webhook bodies are at most ${WEBHOOK_BODY_LIMIT} bytes.`);
  }
  const verdict = await verifyTelnyxSignature({
    rawBody,
    signatureB64,
    timestamp,
    publicKeyB64: cfg.TELNYX_PUBLIC_KEY,
    nowSec: Math.floor(Date.now() / 1000),
  });
  if (verdict !== "ok") {
    console.warn(JSON.stringify({ msg: "telnyx.webhook_rejected", reason: verdict }));
    return problem(401, "Unauthorized", `Webhook signature ${verdict}.`);
  }

  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    return problem(400, "Bad Request", "Body is not JSON.");
  }
  const mapped = mapTelnyxWebhook(body);
  if (mapped.kind === "invalid") {
    console.warn(JSON.stringify({ msg: "telnyx.webhook_invalid", issues: mapped.issues }));
    return problem(400, "Bad Request", `Not a Call Control webhook: ${mapped.issues.join("; ")}`);
  }
  if (mapped.kind === "ignored") {
    console.log(
      JSON.stringify({ msg: "telnyx.webhook_ignored", event_type: mapped.eventType, reason: mapped.reason }),
    );
    return c.json({ ok: true, ignored: mapped.eventType });
  }

  if (mapped.kind === "cost") {
    try {
      await recordLegCost(createDb(cfg.TURSO_DATABASE_URL, cfg.TURSO_AUTH_TOKEN), mapped.cost);
      return c.json({ ok: true, result: "cost_recorded" });
    } catch {
      return problem(503, "Service Unavailable", "The call's cost could not be stored now; retry later.");
    }
  }
  for (const warning of mapped.warnings)
    console.error(
      JSON.stringify({
        msg: "telnyx.webhook_unknown_role",
        call: mapped.sessionId,
        event: mapped.event.type,
        warning,
      }),
    );
  try {
    const stub = c.env.CALL_SESSION.getByName(mapped.sessionId);
    const result = await stub.receive({
      eventId: mapped.eventId,
      sessionId: mapped.sessionId,
      event: mapped.event,
    });
    return c.json({ ok: true, result });
  } catch (err) {
    console.error(
      JSON.stringify({
        msg: "telnyx.webhook_not_taken",
        call: mapped.sessionId,
        event: mapped.event.type,
        error: err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : "unknown",
      }),
    );
    return problem(503, "Service Unavailable", "The call could not take this event now; retry later.");
  }
});
