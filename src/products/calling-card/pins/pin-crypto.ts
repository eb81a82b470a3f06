/**
 * How a PIN is kept at rest: a keyed hash (HMAC-SHA256 under PIN_HMAC_KEY, first 128 bits, hex)
 * finds the card and makes PINs unique across every batch; AES-256-GCM under PIN_ENCRYPTION_KEY
 * (random 96-bit IV per PIN) lets an admin export the numbers. A copy of the database alone yields
 * neither a PIN nor a way to test guesses; both keys are Worker secrets, never in Turso.
 */
export interface PinKeys {
  hmac: CryptoKey;
  aes: CryptoKey;
}

const fromBase64 = (b64: string): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
const toBase64 = (bytes: Uint8Array): string => {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
};
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const cache = new Map<string, Promise<PinKeys>>();

/** Imports the two keys (base64, 32 bytes each) once per isolate. */
export function pinKeys(hmacKeyB64: string, aesKeyB64: string): Promise<PinKeys> {
  const id = `${hmacKeyB64}\n${aesKeyB64}`;
  let keys = cache.get(id);
  if (!keys) {
    keys = (async () => ({
      hmac: await crypto.subtle.importKey(
        "raw",
        fromBase64(hmacKeyB64),
        { name: "HMAC", hash: "SHA-256" },
        false,
        ["sign"],
      ),
      aes: await crypto.subtle.importKey("raw", fromBase64(aesKeyB64), { name: "AES-GCM" }, false, [
        "encrypt",
        "decrypt",
      ]),
    }))();
    cache.set(id, keys);
  }
  return keys;
}

/** The lookup key of a PIN: 32 hex characters. */
export async function pinHash(keys: PinKeys, pin: string): Promise<string> {
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", keys.hmac, encoder.encode(pin)));
  let hex = "";
  for (let i = 0; i < 16; i++) hex += HEX[mac[i]!];
  return hex;
}

export async function encryptPin(keys: PinKeys, pin: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(
    await crypto.subtle.encrypt({ name: "AES-GCM", iv }, keys.aes, encoder.encode(pin)),
  );
  const out = new Uint8Array(12 + sealed.length);
  out.set(iv);
  out.set(sealed, 12);
  return toBase64(out);
}

export async function decryptPin(keys: PinKeys, stored: string): Promise<string> {
  const bytes = fromBase64(stored);
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.slice(0, 12) },
    keys.aes,
    bytes.slice(12),
  );
  return decoder.decode(plain);
}
