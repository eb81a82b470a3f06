/**
 * Public ids (`ln_…`, `ag_…`, `tok_…`) and API token secrets, drawn from WebCrypto.
 * Base62 with rejection sampling so every character is equally likely; nothing here is guessable.
 */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      // 248 = 4 * 62: bytes above it would favour the first characters.
      if (byte < 248 && out.length < length) out += BASE62[byte % 62];
    }
  }
  return out;
}

export type IdPrefix = "ln" | "ag" | "tok" | "mer";

export const newId = (prefix: IdPrefix): string => `${prefix}_${randomBase62(20)}`;

/** `ml_` + 32 base62 characters (~190 bits). Shown once; only its SHA-256 is stored. */
export const newTokenSecret = (): string => `ml_${randomBase62(32)}`;

/** What an admin sees to tell tokens apart: `ml_` and the next six characters. */
export const tokenPrefixOf = (secret: string): string => secret.slice(0, 9);

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}
