import { describe, expect, it } from "vitest";
import type { TelnyxRequest } from "../../src/telnyx/commands";
import { TelnyxError, createTelnyxClient } from "../../src/telnyx/telnyx-client";

interface Seen {
  url: string;
  method: string | undefined;
  headers: Headers;
  body: unknown;
}

/** A fake Telnyx that records what it was sent and answers with the given response (or throws). */
function fakeFetch(answer: () => Response) {
  const seen: Seen[] = [];
  const fetchFn = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    seen.push({
      url: input instanceof Request ? input.url : input.toString(),
      method: init?.method,
      headers: new Headers(init?.headers),
      body: typeof init?.body === "string" ? JSON.parse(init.body) : init?.body,
    });
    return Promise.resolve(answer());
  };
  return { seen, fetch: fetchFn };
}

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const telnyxError = (status: number, code: string, title: string) =>
  json(status, { errors: [{ code, title, detail: "details" }] });

const SPEAK: TelnyxRequest = {
  action: "speak",
  leg: "v3:leg",
  body: { command_id: "s:1:0", payload: "Your card number is secret-ish", voice: "female" },
};

async function failure(answer: () => Response): Promise<TelnyxError> {
  const { fetch } = fakeFetch(answer);
  const client = createTelnyxClient({ apiBase: "http://telnyx.test", apiKey: "KEY_test", fetch });
  const err: unknown = await client.send(SPEAK).then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof TelnyxError)) throw new Error(`expected a TelnyxError, got ${String(err)}`);
  return err;
}

describe("createTelnyxClient", () => {
  it("POSTs JSON with the Bearer key to apiBase + path, through the official SDK with its retries off", async () => {
    const fake = fakeFetch(() => json(200, { data: { result: "ok" } }));
    const client = createTelnyxClient({
      apiBase: "http://telnyx.test/",
      apiKey: "KEY_test",
      fetch: fake.fetch,
    });
    expect(await client.send(SPEAK)).toEqual({});
    expect(fake.seen).toHaveLength(1);
    const [req] = fake.seen;
    expect(req?.url).toBe("http://telnyx.test/v2/calls/v3:leg/actions/speak");
    expect(req?.method).toBe("POST");
    expect(req?.headers.get("authorization")).toBe("Bearer KEY_test");
    expect(req?.headers.get("content-type")).toBe("application/json");
    expect(req?.body).toEqual(SPEAK.body);
    // The outbox owns retries: a 503 is tried once here, never again by the SDK.
    const failing = fakeFetch(() => json(503, { errors: [{ code: "10007", title: "Unexpected error" }] }));
    const once = createTelnyxClient({ apiBase: "http://telnyx.test", apiKey: "k", fetch: failing.fetch });
    await expect(once.send(SPEAK)).rejects.toBeInstanceOf(TelnyxError);
    expect(failing.seen).toHaveLength(1);
  });

  it("asks Telnyx whether a leg lives, and when it ended", async () => {
    const fake = fakeFetch(() =>
      json(200, {
        data: {
          call_control_id: "v3:leg",
          call_leg_id: "l",
          call_session_id: "s",
          record_type: "call",
          is_alive: false,
          end_time: "2026-11-20T12:00:05.000Z",
        },
      }),
    );
    const client = createTelnyxClient({ apiBase: "http://telnyx.test", apiKey: "k", fetch: fake.fetch });
    expect(await client.legStatus("v3:leg")).toEqual({
      alive: false,
      endedAt: Date.parse("2026-11-20T12:00:05.000Z"),
    });
    expect(fake.seen[0]).toMatchObject({ url: "http://telnyx.test/v2/calls/v3:leg", method: "GET" });
  });

  it("returns the new leg's call_control_id after a dial", async () => {
    const fake = fakeFetch(() =>
      json(200, { data: { call_control_id: "v3:new-leg", call_session_id: "s", is_alive: false } }),
    );
    const client = createTelnyxClient({ apiBase: "http://telnyx.test", apiKey: "k", fetch: fake.fetch });
    const dial: TelnyxRequest = {
      action: "dial",
      leg: null,
      body: { connection_id: "c", from: "+2", to: "+1" },
    };
    expect(await client.send(dial)).toEqual({
      callControlId: "v3:new-leg",
    });
  });

  it("marks 422 code 90018 as call ended, final", async () => {
    const err = await failure(() => telnyxError(422, "90018", "Call has already ended"));
    expect(err).toMatchObject({ status: 422, code: "90018", callEnded: true, retryable: false });
  });

  it("marks other 422s and auth failures as final but not call-ended", async () => {
    expect(await failure(() => telnyxError(422, "90034", "Call not answered yet"))).toMatchObject({
      status: 422,
      code: "90034",
      callEnded: false,
      retryable: false,
    });
    expect(await failure(() => telnyxError(401, "10009", "Authentication failed"))).toMatchObject({
      status: 401,
      retryable: false,
      callEnded: false,
    });
  });

  it("marks rate limits, server errors and unreachable Telnyx as retryable", async () => {
    expect(await failure(() => telnyxError(429, "10011", "Too many requests"))).toMatchObject({
      status: 429,
      retryable: true,
    });
    expect(await failure(() => new Response("upstream down", { status: 503 }))).toMatchObject({
      status: 503,
      code: undefined,
      retryable: true,
    });
    expect(
      await failure(() => {
        throw new TypeError("fetch failed");
      }),
    ).toMatchObject({ status: 0, retryable: true, callEnded: false });
  });

  it("keeps the request body out of error messages", async () => {
    const err = await failure(() => telnyxError(400, "10015", "Bad Request"));
    expect(err.message).toContain("400");
    expect(err.message).toContain("/actions/speak");
    expect(err.message).not.toContain("secret-ish");
    expect(err.message).not.toContain("KEY_test");
  });
});
