/**
 * Reads a webhook's raw body, never more than WEBHOOK_BODY_LIMIT bytes. Signatures cover the exact
 * bytes sent, so the routes need the text before any parse; but an unauthenticated sender must not
 * make the Worker buffer megabytes. A declared content-length over the limit is refused unread; a
 * streamed body (no content-length) is read chunk by chunk and dropped as soon as it passes the limit.
 */

/** Telnyx and Stripe events are a few KB; 64 KB leaves room for large payloads without risk. */
export const WEBHOOK_BODY_LIMIT = 64 * 1024;

/** The body as UTF-8 text (like `Request.text()`), or null when it is larger than `limit` bytes. */
export async function readBodyUpTo(request: Request, limit = WEBHOOK_BODY_LIMIT): Promise<string | null> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > limit) return null;
  if (!request.body) return "";
  // Request bodies are bytes; workers-types leaves the chunk type open.
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
