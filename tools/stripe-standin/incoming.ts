/**
 * The HTTP edge of the stand-in: reading a request into what the API cares about, and the answers
 * given before any endpoint runs (Stripe's 401 for a missing/bad key, injected 5xx/429 failures).
 */
import type { IncomingMessage } from "node:http";
import { parseFormPairs } from "./form";
import { errorReply, type Reply } from "./objects";

export interface Incoming {
  method: string;
  path: string;
  /** Stripe honours Idempotency-Key on POST only. */
  key: string | null;
  pairs: [string, string][];
  authorization: string | null;
  stripeVersion: string | null;
}

export function parseIncoming(req: IncomingMessage, rawBody: string): Incoming {
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://standin");
  return {
    method,
    path: url.pathname,
    key: method === "POST" ? headerOf(req, "idempotency-key") : null,
    pairs: parseFormPairs(method === "GET" ? url.search.slice(1) : rawBody),
    authorization: headerOf(req, "authorization"),
    stripeVersion: headerOf(req, "stripe-version"),
  };
}

function headerOf(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

export function authFailure(authorization: string | null): Reply | null {
  if (!authorization) {
    return errorReply(401, {
      type: "invalid_request_error",
      message:
        "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    });
  }
  if (/^Bearer sk_(test|live)_\S+$/.test(authorization)) return null;
  // Like Stripe, never echo the key back; show only its first characters.
  const shown = authorization.replace(/^Bearer\s+/, "").slice(0, 8);
  return errorReply(401, {
    type: "invalid_request_error",
    message: `Invalid API Key provided: ${shown}****`,
  });
}

export function injectedFailure(status: 500 | 503 | 429): Reply {
  if (status === 429) {
    return errorReply(
      429,
      {
        type: "invalid_request_error",
        code: "rate_limit",
        message:
          "Too many requests hit the API too quickly. We recommend an exponential backoff of your requests.",
      },
      false,
    );
  }
  return errorReply(status, { type: "api_error", message: "An unknown error occurred" }, false);
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
