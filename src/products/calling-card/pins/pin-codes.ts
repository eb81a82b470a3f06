/**
 * PIN numbers: 12 decimal digits from the platform's CSPRNG, each digit drawn by rejection sampling
 * (bytes ≥ 250 are thrown away, so 0–9 stay exactly equally likely; no modulo bias, no leading-zero
 * loss: a PIN is a string). Every PIN is drawn independently, so none says anything about another.
 * Uploaded PINs are checked here too.
 */
export const PIN_LENGTH = 12;
/** What an uploaded PIN may be: digits only, as keyed on a phone. */
export const UPLOADED_PIN = /^\d{10,16}$/;

/** `count` independent PINs of `length` digits (duplicates are possible: the database refuses them). */
export function generatePins(count: number, length = PIN_LENGTH): string[] {
  const out: string[] = [];
  let digits = "";
  const need = count * length;
  while (digits.length < need) {
    // 65 536 bytes is getRandomValues' limit per call.
    const bytes = crypto.getRandomValues(
      new Uint8Array(Math.min(65_536, Math.ceil((need - digits.length) * 1.03) + 16)),
    );
    let chunk = "";
    for (const byte of bytes) if (byte < 250) chunk += String(byte % 10);
    digits += chunk;
  }
  for (let i = 0; i < count; i++) out.push(digits.slice(i * length, (i + 1) * length));
  return out;
}

/**
 * `count` PINs, all different: independent draws, where a repeat within the draw is drawn again
 * (1 in ~10^7 for a million 12-digit PINs). Uniqueness against other batches is the database's
 * unique hash index, which the batch job answers by drawing again too.
 */
export function generateDistinctPins(count: number, length = PIN_LENGTH): string[] {
  const seen = new Set<string>();
  while (seen.size < count) for (const pin of generatePins(count - seen.size, length)) seen.add(pin);
  return [...seen];
}

/** A PIN for speech or logs is never written out: only how many digits it has. */
export const describePin = (pin: string): string => `[${pin.length}-digit PIN]`;
