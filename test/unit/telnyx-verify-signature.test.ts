import { beforeAll, describe, expect, it } from "vitest";
import { verifyTelnyxSignature } from "../../src/telnyx/verify-signature";

const toB64 = (bytes: ArrayBuffer | Uint8Array): string =>
  btoa(String.fromCharCode(...new Uint8Array(bytes)));

interface Signer {
  publicKeyB64: string;
  sign(timestamp: string, body: string): Promise<string>;
}

async function makeSigner(): Promise<Signer> {
  const pair = (await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ])) as CryptoKeyPair;
  const raw = (await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer;
  return {
    publicKeyB64: toB64(raw),
    async sign(timestamp, body) {
      const data = new TextEncoder().encode(`${timestamp}|${body}`);
      return toB64(await crypto.subtle.sign({ name: "Ed25519" }, pair.privateKey, data));
    },
  };
}

const NOW = 1_790_000_000;
const BODY = JSON.stringify({
  data: { event_type: "call.initiated", id: "ev-1", payload: { to: "+46101234567" } },
});

describe("verifyTelnyxSignature", () => {
  let telnyx: Signer;
  let stranger: Signer;
  beforeAll(async () => {
    telnyx = await makeSigner();
    stranger = await makeSigner();
  });

  const verify = (
    over: Partial<Parameters<typeof verifyTelnyxSignature>[0]> & { signatureB64: string | null },
  ) =>
    verifyTelnyxSignature({
      rawBody: BODY,
      timestamp: String(NOW),
      publicKeyB64: telnyx.publicKeyB64,
      nowSec: NOW,
      ...over,
    });

  it("accepts a body signed by Telnyx's key", async () => {
    expect(await verify({ signatureB64: await telnyx.sign(String(NOW), BODY) })).toBe("ok");
  });

  it("rejects a body changed after signing", async () => {
    const sig = await telnyx.sign(String(NOW), BODY);
    expect(await verify({ signatureB64: sig, rawBody: BODY.replace("+46101234567", "+46109999999") })).toBe(
      "invalid",
    );
  });

  it("rejects a signature over a different timestamp (replay with a fresh header)", async () => {
    const sig = await telnyx.sign(String(NOW - 1000), BODY);
    expect(await verify({ signatureB64: sig })).toBe("invalid");
  });

  it("rejects a signature from another key", async () => {
    expect(await verify({ signatureB64: await stranger.sign(String(NOW), BODY) })).toBe("invalid");
  });

  it("accepts up to 300 s of clock skew either way and calls anything beyond stale", async () => {
    for (const skew of [-300, 300]) {
      const ts = String(NOW + skew);
      expect(await verify({ timestamp: ts, signatureB64: await telnyx.sign(ts, BODY) })).toBe("ok");
    }
    for (const skew of [-301, 301]) {
      const ts = String(NOW + skew);
      expect(await verify({ timestamp: ts, signatureB64: await telnyx.sign(ts, BODY) })).toBe("stale");
    }
  });

  it("honours a custom tolerance", async () => {
    const ts = String(NOW - 61);
    expect(await verify({ timestamp: ts, toleranceSec: 60, signatureB64: await telnyx.sign(ts, BODY) })).toBe(
      "stale",
    );
  });

  it("reports missing headers", async () => {
    const sig = await telnyx.sign(String(NOW), BODY);
    expect(await verify({ signatureB64: null })).toBe("missing");
    expect(await verify({ signatureB64: "" })).toBe("missing");
    expect(await verify({ signatureB64: sig, timestamp: null })).toBe("missing");
  });

  it("rejects malformed signatures and timestamps without throwing", async () => {
    expect(await verify({ signatureB64: "not base64 at all!" })).toBe("invalid");
    expect(await verify({ signatureB64: btoa("too short") })).toBe("invalid");
    const sig = await telnyx.sign("17900000e0", BODY);
    expect(await verify({ signatureB64: sig, timestamp: "17900000e0" })).toBe("invalid");
  });

  it("throws on an unusable configured public key (our misconfiguration, so the route can answer 5xx)", async () => {
    const sig = await telnyx.sign(String(NOW), BODY);
    await expect(verify({ signatureB64: sig, publicKeyB64: btoa("short") })).rejects.toThrow(/public key/);
  });
});
