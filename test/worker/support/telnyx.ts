/**
 * Test double at the Telnyx wire, inside workerd: signed webhooks into the real route, and a fake
 * Call Control API behind a fetch spy that records every command and answers like Telnyx (ok,
 * 503, or 422/90018 "call already ended"). Other requests (libSQL, Stripe) pass through untouched.
 */
import { exports } from "cloudflare:workers";
import { inject, vi } from "vitest";

export interface SentCommand {
  action: string;
  leg: string | null;
  body: Record<string, unknown>;
}

const TELNYX_BASE = "http://telnyx.test";

export class FakeTelnyx {
  readonly sent: SentCommand[] = [];
  /** Every request, failed ones included (to see a resend carry the same command_id). */
  readonly attempts: { action: string; commandId: unknown; status: number }[] = [];
  private failures: { action: string; status: number; code: string }[] = [];
  private legCounter = 0;

  /** Legs Telnyx reports as ended on GET /v2/calls/{id} (others are alive), with their end_time. */
  readonly endedLegs = new Map<string, number>();
  /** As Telnyx does: a command for an ended leg answers 422 90018 (off unless a test wants it). */
  refuseEndedLegs = false;
  /** The next this-many commands, whatever their action, fail with this error (a burst). */
  private burst: { left: number; status: number; code: string }[] = [];
  /** Every GET /v2/calls/{id} asked (the liveness checks). */
  readonly statusChecks: string[] = [];

  /** Forgets the previous test's commands, attempts and pending failures. */
  reset(): void {
    this.sent.length = 0;
    this.attempts.length = 0;
    this.failures = [];
    this.legCounter = 0;
    this.recordings.clear();
    this.endedLegs.clear();
    this.statusChecks.length = 0;
    this.refuseEndedLegs = false;
    this.burst = [];
  }

  /** The next `count` commands of any action fail with `status`/`code` (503 or 429 bursts). */
  failBurst(count: number, status: number, code: string): void {
    this.burst.push({ left: count, status, code });
  }

  private takeFailure(action: string, leg: string | null): { status: number; code: string } | null {
    const at = this.failures.findIndex((f) => f.action === action);
    if (at >= 0) return this.failures.splice(at, 1)[0]!;
    const burst = this.burst[0];
    if (burst) {
      if (--burst.left <= 0) this.burst.shift();
      return burst;
    }
    if (this.refuseEndedLegs && leg && this.endedLegs.has(leg)) return { status: 422, code: "90018" };
    return null;
  }

  /** Telnyx's answer to GET /v2/calls/{id}: alive, or ended with its end_time (as its API answers). */
  private callStatus(id: string): Response {
    this.statusChecks.push(id);
    const failure = this.failures.findIndex((f) => f.action === "status");
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0]!;
      return Response.json({ errors: [{ code: f.code, title: "Error" }] }, { status: f.status });
    }
    const ended = this.endedLegs.get(id);
    return Response.json({
      data: {
        record_type: "call",
        call_control_id: id,
        call_leg_id: id,
        call_session_id: "s",
        is_alive: ended === undefined,
        ...(ended === undefined ? {} : { end_time: new Date(ended).toISOString() }),
      },
    });
  }

  private listRecordings(url: string): Response {
    const session = new URL(url).searchParams.get("filter[call_session_id]") ?? "";
    const failure = this.failures.findIndex((f) => f.action === "recordings");
    if (failure >= 0) {
      const f = this.failures.splice(failure, 1)[0]!;
      return Response.json({ errors: [{ code: f.code, title: "Error" }] }, { status: f.status });
    }
    const mp3 = this.recordings.get(session);
    const data = mp3 ? [{ record_type: "recording", call_session_id: session, download_urls: { mp3 } }] : [];
    return Response.json({ data, meta: { total_results: data.length } });
  }

  install(): void {
    const realFetch = globalThis.fetch.bind(globalThis);
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (!url.startsWith(TELNYX_BASE)) return realFetch(input, init);
      return this.answer(url, init);
    });
  }

  /** The next `count` requests for `action` fail with this Telnyx error. */
  failNext(action: string, status: number, code: string, count = 1): void {
    for (let i = 0; i < count; i++) this.failures.push({ action, status, code });
  }

  actions(): string[] {
    return this.sent.map((c) => c.action);
  }

  ofAction(action: string): SentCommand[] {
    return this.sent.filter((c) => c.action === action);
  }

  /** call_session_id → download URL that GET /v2/recordings hands out (fresh each time). */
  readonly recordings = new Map<string, string>();

  private answer(url: string, init: RequestInit | undefined): Response {
    const path = new URL(url).pathname;
    if (path === "/v2/recordings" && (init?.method ?? "GET") === "GET") return this.listRecordings(url);
    const status = /^\/v2\/calls\/([^/]+)$/.exec(path);
    if (status && (init?.method ?? "GET") === "GET") return this.callStatus(decodeURIComponent(status[1]!));
    const m = /^\/v2\/calls\/([^/]+)\/actions\/([a-z_]+)$/.exec(path);
    const action = m ? m[2]! : path === "/v2/calls" ? "dial" : path;
    const body = JSON.parse(typeof init?.body === "string" ? init.body : "{}") as Record<string, unknown>;
    const f = this.takeFailure(action, m ? decodeURIComponent(m[1]!) : null);
    if (f) {
      this.attempts.push({ action, commandId: body.command_id, status: f.status });
      return Response.json(
        { errors: [{ code: f.code, title: "Error", detail: "fake failure" }] },
        { status: f.status },
      );
    }
    this.attempts.push({ action, commandId: body.command_id, status: 200 });
    this.sent.push({ action, leg: m ? decodeURIComponent(m[1]!) : null, body });
    if (action === "dial") {
      this.legCounter += 1;
      const id = `v3:agent-leg-${this.legCounter}`;
      return Response.json({
        data: { call_control_id: id, call_leg_id: id, call_session_id: body.link_to, is_alive: true },
      });
    }
    return Response.json({ data: { result: "ok" } });
  }
}

let signingKey: Promise<CryptoKey> | null = null;
function privateKey(): Promise<CryptoKey> {
  signingKey ??= crypto.subtle.importKey(
    "pkcs8",
    Uint8Array.from(atob(inject("telnyxPrivateKey")), (c) => c.charCodeAt(0)),
    { name: "Ed25519" },
    false,
    ["sign"],
  );
  return signingKey;
}

export async function signedHeaders(rawBody: string, timestamp = Math.floor(Date.now() / 1000)) {
  const sig = await crypto.subtle.sign(
    { name: "Ed25519" },
    await privateKey(),
    new TextEncoder().encode(`${timestamp}|${rawBody}`),
  );
  return {
    "content-type": "application/json",
    "telnyx-timestamp": String(timestamp),
    "telnyx-signature-ed25519": btoa(String.fromCharCode(...new Uint8Array(sig))),
  };
}

export function envelope(
  eventType: string,
  payload: Record<string, unknown>,
  opts: { id?: string; at?: number } = {},
) {
  return {
    data: {
      record_type: "event",
      event_type: eventType,
      id: opts.id ?? crypto.randomUUID(),
      occurred_at: new Date(opts.at ?? Date.now()).toISOString(),
      payload,
    },
    meta: { attempt: 1, delivered_to: "http://x/webhooks/telnyx" },
  };
}

/** POSTs a correctly signed webhook through the real Worker route. */
export async function postWebhook(body: unknown, headers?: Record<string, string>): Promise<Response> {
  const raw = JSON.stringify(body);
  return exports.default.fetch("http://x/webhooks/telnyx", {
    method: "POST",
    body: raw,
    headers: headers ?? (await signedHeaders(raw)),
  });
}
