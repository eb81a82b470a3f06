/**
 * Webhook bodies are read only from senders that look like Telnyx or Stripe, and never beyond
 * 64 KB: an unsigned POST is refused (401) before its body is read, an oversized one (413) by its
 * content-length or, streamed without one, as soon as it passes the limit. Bodies here are streams
 * that count what the Worker pulled from them, so "not read" is measured, not assumed.
 */
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { envelope, signedHeaders } from "./support/telnyx";

const MB = 1024 * 1024;
const LIMIT = 64 * 1024;
// workerd pulls one chunk ahead even from a body nobody reads, so "unread" means "< LIMIT pulled".
const CHUNK = 16 * 1024;

/** A `size`-byte body produced on demand, with the number of bytes the reader has pulled so far. */
function countedBody(size: number) {
  const counter = { pulled: 0 };
  const chunk = new Uint8Array(CHUNK).fill(0x61); // "aaaa…"
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= size) return controller.close();
        const part = chunk.subarray(0, Math.min(CHUNK, size - counter.pulled));
        counter.pulled += part.byteLength;
        controller.enqueue(part);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

async function post(path: string, body: BodyInit, headers: Record<string, string>) {
  return exports.default.fetch(`http://meterline.test${path}`, { method: "POST", body, headers });
}

async function expectProblem(res: Response, status: number) {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  expect(JSON.parse(text)).toMatchObject({ type: "about:blank", status });
}

const telnyxHeaders = async () => signedHeaders(JSON.stringify(envelope("call.initiated", {})));
const stripeHeaders = () => ({
  "content-type": "application/json",
  "stripe-signature": `t=${Math.floor(Date.now() / 1000)},v1=${"0".repeat(64)}`,
});

describe.each([
  {
    route: "/webhooks/telnyx",
    signed: telnyxHeaders,
    unsigned: ["telnyx-signature-ed25519", "telnyx-timestamp"],
  },
  {
    route: "/webhooks/stripe",
    signed: () => Promise.resolve(stripeHeaders()),
    unsigned: ["stripe-signature"],
  },
])("POST $route body limits", ({ route, signed, unsigned }) => {
  it("refuses a 10 MB unsigned body with 401 without reading it", async () => {
    const { stream, counter } = countedBody(10 * MB);
    const res = await post(route, stream, {
      "content-type": "application/json",
      "content-length": String(10 * MB),
    });
    await expectProblem(res, 401);
    expect(counter.pulled).toBeLessThan(LIMIT);
  });

  it.each(unsigned)("refuses a body that lacks only %s with 401", async (header) => {
    const headers: Record<string, string> = await signed();
    delete headers[header];
    const { stream, counter } = countedBody(MB);
    await expectProblem(await post(route, stream, headers), 401);
    expect(counter.pulled).toBeLessThan(LIMIT);
  });

  it("refuses a 10 MB signed-looking body with 413 by its content-length, unread", async () => {
    const { stream, counter } = countedBody(10 * MB);
    const res = await post(route, stream, { ...(await signed()), "content-length": String(10 * MB) });
    await expectProblem(res, 413);
    expect(counter.pulled).toBeLessThan(LIMIT);
  });

  it("stops reading a streamed body without content-length once it passes 64 KB", async () => {
    const { stream, counter } = countedBody(10 * MB);
    const headers = await signed();
    const res = await post(route, stream, headers);
    await expectProblem(res, 413);
    expect(counter.pulled).toBeGreaterThan(LIMIT);
    expect(counter.pulled).toBeLessThan(2 * LIMIT);
  });

  it("still reads a body of exactly 64 KB and judges its signature (401, not 413)", async () => {
    const body = "a".repeat(LIMIT);
    await expectProblem(await post(route, body, await signed()), 401);
  });
});
