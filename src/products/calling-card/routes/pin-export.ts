/**
 * A batch's PINs as CSV — number, status, value, effective, expiration and activation dates,
 * expiration period — streamed one keyset page at a time, so a million PINs never sit in memory.
 * The PIN is decrypted here, for the export only.
 */
import { csvLine } from "../../../api/csv";
import { toIso, toIsoOrNull } from "../../../api/schemas";
import { minorToDecimal } from "../../../billing/currency";
import { pinPage, type PIN_STATUSES, type PinView } from "../db/pin-listing";

export const EXPORT_HEADER = [
  "number",
  "status",
  "value_minor",
  "value",
  "currency",
  "effective_date",
  "expiration_date",
  "activation_date",
  "expiration_days_after_activation",
];
const csvOf = (p: PinView) =>
  csvLine([
    p.number,
    p.status,
    p.value,
    minorToDecimal(p.value, p.currency),
    p.currency,
    toIso(p.effectiveAt),
    toIso(p.expiresAt),
    toIsoOrNull(p.activatedAt),
    p.expiryDays,
  ]);

const EXPORT_PAGE = 5_000;

/** The export as a stream: one keyset page of PINs per pull, so memory stays flat. */
export function exportPins(
  client: Parameters<typeof pinPage>[0],
  keys: Parameters<typeof pinPage>[1],
  batchId: string,
  status?: (typeof PIN_STATUSES)[number],
) {
  const encoder = new TextEncoder();
  let after = 0;
  const now = Date.now();
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvLine(EXPORT_HEADER)));
    },
    async pull(controller) {
      const page = await pinPage(client, keys, {
        batchId,
        afterSeq: after,
        limit: EXPORT_PAGE,
        now,
        ...(status ? { status } : {}),
      });
      if (page.length) controller.enqueue(encoder.encode(page.map(csvOf).join("")));
      if (page.length < EXPORT_PAGE) controller.close();
      else after = page[page.length - 1]!.seq;
    },
  });
}
