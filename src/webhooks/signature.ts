/**
 * Our signed-webhook scheme, both ways (hand-offs we send, callbacks we receive): the header
 * `Meterline-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, as Stripe
 * signs its webhooks, checked in constant time within a ±300 s window. WebCrypto, so the Worker
 * and the Node stand-ins share it.
 */
export const SIGNATURE_HEADER = "meterline-signature";
export const TOLERANCE_SEC = 300;

async function hmacHex(secret: string, text: string): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function signatureHeader(
  secret: string,
  body: string,
  nowSec = Math.floor(Date.now() / 1000),
): Promise<string> {
  return `t=${nowSec},v1=${await hmacHex(secret, `${nowSec}.${body}`)}`;
}

export type SignatureVerdict = "ok" | "missing" | "malformed" | "stale" | "mismatch";

export async function verifySignatureHeader(
  secret: string,
  header: string | null | undefined,
  body: string,
  nowSec = Math.floor(Date.now() / 1000),
): Promise<SignatureVerdict> {
  if (!header) return "missing";
  const parts = Object.fromEntries(header.split(",").map((p) => p.trim().split("=", 2) as [string, string]));
  const t = Number(parts.t);
  const given = parts.v1;
  if (!Number.isInteger(t) || !given || !/^[0-9a-f]{64}$/.test(given)) return "malformed";
  if (Math.abs(nowSec - t) > TOLERANCE_SEC) return "stale";
  const expected = await hmacHex(secret, `${t}.${body}`);
  return sameText(expected, given) ? "ok" : "mismatch";
}

/** Constant time for equal lengths (hex digests always are); plain code so Node tools share it. */
function sameText(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}
