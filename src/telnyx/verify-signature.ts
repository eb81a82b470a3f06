/**
 * Verifies a Telnyx webhook: Ed25519 over `${timestamp}|${rawBody}` (headers
 * telnyx-signature-ed25519, base64 of 64 bytes, and telnyx-timestamp, unix seconds), with the
 * account's public key (base64 of the raw 32 bytes). WebCrypto only, so it runs in workerd and Node.
 * Needs the raw body exactly as received: never re-serialise parsed JSON before calling it.
 * Throws only when the configured public key itself is unusable.
 */

export type SignatureVerdict = "ok" | "missing" | "stale" | "invalid";

export interface VerifyTelnyxSignatureOptions {
  rawBody: string;
  signatureB64: string | null;
  timestamp: string | null;
  publicKeyB64: string;
  /** Current time in unix seconds (injected so tests and replays need no wall clock). */
  nowSec: number;
  /** Largest accepted |now - timestamp|, default 300 s (Telnyx's own SDK uses the same). */
  toleranceSec?: number;
}

export async function verifyTelnyxSignature(opts: VerifyTelnyxSignatureOptions): Promise<SignatureVerdict> {
  if (!opts.signatureB64 || !opts.timestamp) return "missing";
  if (!/^\d{1,12}$/.test(opts.timestamp)) return "invalid";
  if (Math.abs(opts.nowSec - Number(opts.timestamp)) > (opts.toleranceSec ?? 300)) return "stale";

  const publicKey = decodeBase64(opts.publicKeyB64);
  // Our misconfiguration, not the sender's fault: throw so the route answers 5xx and Telnyx
  // redelivers once it is fixed, instead of a 401 that drops every webhook for good.
  if (publicKey?.length !== 32) throw new Error("Telnyx public key is not base64 of a 32-byte Ed25519 key");
  const signature = decodeBase64(opts.signatureB64);
  if (signature?.length !== 64) return "invalid";

  try {
    const key = await crypto.subtle.importKey("raw", publicKey, { name: "Ed25519" }, false, ["verify"]);
    const signed = new TextEncoder().encode(`${opts.timestamp}|${opts.rawBody}`);
    const valid = await crypto.subtle.verify({ name: "Ed25519" }, key, signature, signed);
    return valid ? "ok" : "invalid";
  } catch {
    return "invalid";
  }
}

function decodeBase64(value: string): Uint8Array | null {
  try {
    return Uint8Array.from(atob(value.trim()), (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}
