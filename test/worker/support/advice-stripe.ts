/**
 * A tap on the Worker's traffic to the Stripe stand-in (inside workerd): records each exchange's
 * method, path, idempotency key, status and response (never the request body: it holds the card),
 * and can fail or hold the next matching request. Install it after FakeTelnyx; it wraps that spy.
 */
import { inject } from "vitest";

export interface StripeExchange {
  method: string;
  path: string;
  idempotencyKey: string | null;
  status: number;
  /** The JSON the Worker received (or, for a lost response, what the stand-in had answered). */
  body: Record<string, unknown> | null;
  fault: "none" | "before" | "after" | "refused";
}

type FaultMode = "before" | "after" | "expired";

/** The Stripe endpoints the tests watch. */
export const INTENTS = /^\/v1\/payment_intents$/;
export const CONFIRM = /^\/v1\/payment_intents\/[^/]+\/confirm$/;
export const CAPTURE = /^\/v1\/payment_intents\/[^/]+\/capture$/;
export const CANCEL = /^\/v1\/payment_intents\/[^/]+\/cancel$/;
export const REFUNDS = /^\/v1\/refunds$/;
export const METHODS = /^\/v1\/payment_methods$/;

/** Stripe's shape for a server error, as the SDK expects to parse it. */
const stripe503 = () =>
  new Response(JSON.stringify({ error: { type: "api_error", message: "An unknown error occurred" } }), {
    status: 503,
    headers: { "content-type": "application/json", "request-id": "req_injected_fault" },
  });

export class StripeTap {
  readonly exchanges: StripeExchange[] = [];
  readonly base = inject("stripeUrl");
  private faults: { method: string; path: RegExp; mode: FaultMode }[] = [];
  private holds: { path: RegExp; gate: Promise<void>; reached: () => void }[] = [];
  private inner: typeof fetch = globalThis.fetch;
  private previous: typeof fetch | null = null;

  install(): void {
    this.previous = globalThis.fetch;
    this.inner = globalThis.fetch.bind(globalThis);
    globalThis.fetch = (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      return url.startsWith(this.base) ? this.handle(url, input, init) : this.inner(input, init);
    };
  }

  /** Forgets the previous test's exchanges, faults and holds. */
  reset(): void {
    this.exchanges.length = 0;
    this.faults = [];
    this.holds = [];
  }

  uninstall(): void {
    if (this.previous) globalThis.fetch = this.previous;
    this.previous = null;
  }

  /**
   * The next `method path` request answers 503. "before": Stripe never saw it (no idempotent
   * result saved). "after": Stripe did the work but the answer was lost on the way back.
   * "expired" (captures): the hold lapsed first; Stripe cancels the intent and refuses with a 400.
   */
  failNext(method: string, path: RegExp, mode: FaultMode = "before"): void {
    this.faults.push({ method, path, mode });
  }

  /**
   * The stand-in itself fails the next request to `path` with a 500 from an endpoint that began,
   * saved under its Idempotency-Key as Stripe does: the same key gets that 500 again, for ever.
   */
  async savedFailureNext(path: string): Promise<void> {
    const res = await this.inner(`${this.base}/_standin/fail-next`, {
      method: "POST",
      body: JSON.stringify({ status: 500, path, saved: true }),
    });
    if (res.status !== 204) throw new Error(`stand-in refused the failure rule (${res.status})`);
  }

  /** The stand-in refuses the next request to `path` as Stripe would (400 with `code`). */
  async refuseNext(path: string, code: string): Promise<void> {
    const res = await this.inner(`${this.base}/_standin/fail-next`, {
      method: "POST",
      body: JSON.stringify({ status: 400, path, code }),
    });
    if (res.status !== 204) throw new Error(`stand-in refused the failure rule (${res.status})`);
  }

  /** The next request to `path` waits until `release()`; `reached` resolves once it is waiting. */
  holdNext(path: RegExp): { reached: Promise<void>; release: () => void } {
    let release = () => {};
    let reached = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reachedPromise = new Promise<void>((resolve) => (reached = resolve));
    this.holds.push({ path, gate, reached });
    return { reached: reachedPromise, release };
  }

  /** Successful exchanges for `method path` (the ones the Worker saw answered 2xx). */
  ok(method: string, path: RegExp): StripeExchange[] {
    return this.exchanges.filter(
      (e) => e.method === method && path.test(e.path) && e.status < 300 && e.fault === "none",
    );
  }

  all(method: string, path: RegExp): StripeExchange[] {
    return this.exchanges.filter((e) => e.method === method && path.test(e.path));
  }

  /** Reads a PaymentIntent straight from the stand-in (not recorded). */
  async intent(id: string): Promise<Record<string, unknown>> {
    const res = await this.inner(`${this.base}/v1/payment_intents/${id}`, {
      headers: { authorization: "Bearer sk_test_meterline" },
    });
    return res.json<Record<string, unknown>>();
  }

  private async handle(url: string, input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const method = (init?.method ?? (input instanceof Request ? input.method : "GET")).toUpperCase();
    const path = new URL(url).pathname;
    const idempotencyKey = new Headers(init?.headers).get("idempotency-key");
    const record = (status: number, body: Record<string, unknown> | null, fault: StripeExchange["fault"]) =>
      this.exchanges.push({ method, path, idempotencyKey, status, body, fault });

    const hold = this.holds.findIndex((h) => h.path.test(path));
    if (hold >= 0) {
      const h = this.holds.splice(hold, 1)[0]!;
      h.reached();
      await h.gate;
    }
    const faultAt = this.faults.findIndex((f) => f.method === method && f.path.test(path));
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0]! : null;
    if (fault?.mode === "before") {
      record(503, null, "before");
      return stripe503();
    }
    if (fault?.mode === "expired") {
      // The authorization lapsed before this capture: Stripe has cancelled the intent and refuses.
      const id = /^\/v1\/payment_intents\/([^/]+)\//.exec(path)?.[1] ?? "";
      const headers = new Headers(init?.headers);
      headers.delete("idempotency-key");
      const lapsed = await this.inner(`${this.base}/v1/payment_intents/${id}/cancel`, {
        method: "POST",
        headers,
      });
      if (!lapsed.ok) throw new Error(`the stand-in would not let ${id}'s hold lapse: ${lapsed.status}`);
      const error = {
        type: "invalid_request_error",
        code: "charge_expired_for_capture",
        message: "This PaymentIntent could not be captured because the authorization expired.",
      };
      record(400, { error }, "refused");
      return Response.json({ error }, { status: 400, headers: { "request-id": "req_injected_refusal" } });
    }
    const res = await this.inner(input, init);
    const text = await res.text();
    const body = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    if (fault?.mode === "after") {
      record(res.status, body, "after");
      return stripe503();
    }
    record(res.status, body, "none");
    return new Response(text, { status: res.status, headers: res.headers });
  }
}
