/**
 * The stand-in's Ed25519 webhook signing key: generated, taken from options, or persisted as PKCS8
 * PEM (so the Worker's TELNYX_PUBLIC_KEY stays stable between runs). Signs exactly what Telnyx
 * signs: `${timestamp}|${rawBody}`. Never logs the private key.
 */
import { KeyObject, createPrivateKey, createPublicKey, generateKeyPairSync, sign } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export type SigningKey = { privateKey: KeyObject; publicKeyBase64: string; sign(data: string): string };

export function createSigningKey(key?: CryptoKey | KeyObject): SigningKey {
  const privateKey =
    key === undefined
      ? generateKeyPairSync("ed25519").privateKey
      : key instanceof KeyObject
        ? key
        : KeyObject.from(key);
  if (privateKey.asymmetricKeyType !== "ed25519" || privateKey.type !== "private") {
    throw new Error("privateKey must be an Ed25519 private key");
  }
  const jwk = createPublicKey(privateKey).export({ format: "jwk" });
  if (typeof jwk.x !== "string") throw new Error("could not export the Ed25519 public key");
  const publicKeyBase64 = Buffer.from(jwk.x, "base64url").toString("base64");
  return {
    privateKey,
    publicKeyBase64,
    sign: (data) => sign(null, Buffer.from(data, "utf8"), privateKey).toString("base64"),
  };
}

/** Reads the PKCS8 PEM key file, creating it (mode 600) with a fresh key when missing. */
export function loadOrCreateKeyFile(path: string): KeyObject {
  if (existsSync(path)) return createPrivateKey(readFileSync(path, "utf8"));
  const { privateKey } = generateKeyPairSync("ed25519");
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, privateKey.export({ format: "pem", type: "pkcs8" }), { mode: 0o600 });
  return privateKey;
}
