/**
 * Drives one call through the real webhook route the way Telnyx would: each helper sends one
 * signed Call Control event and waits until the call's Durable Object has sent what it wanted to.
 */
import { env } from "cloudflare:workers";
import { encodeClientState } from "../../../src/telnyx/client-state";
import { envelope, postWebhook } from "./telnyx";

let counter = 0;

export class TestCall {
  readonly sessionId: string;
  readonly callerLeg: string;
  private clock: number;

  constructor(
    readonly from: string,
    readonly to: string,
    start = Date.now(),
  ) {
    counter += 1;
    this.sessionId = `sess-${crypto.randomUUID()}`;
    this.callerLeg = `v3:caller-${counter}-${crypto.randomUUID().slice(0, 8)}`;
    this.clock = start;
  }

  get stub() {
    return env.CALL_SESSION.getByName(this.sessionId);
  }

  /** Moves the Telnyx event clock forward (events carry occurred_at; billing uses it). */
  advance(ms: number): number {
    this.clock += ms;
    return this.clock;
  }

  now(): number {
    return this.clock;
  }

  protected payload(leg: string, role: string | null, extra: Record<string, unknown> = {}) {
    return {
      call_control_id: leg,
      call_leg_id: leg,
      call_session_id: this.sessionId,
      connection_id: "conn-test",
      from: this.from,
      to: this.to,
      ...(role ? { client_state: encodeClientState({ s: this.sessionId, r: role as "caller" }) } : {}),
      ...extra,
    };
  }

  /** Sends one event; `at` overrides its occurred_at (an event delivered after later ones). */
  async send(
    eventType: string,
    leg: string,
    role: string | null,
    extra: Record<string, unknown> = {},
    id?: string,
    at = this.clock,
  ) {
    const body = envelope(eventType, this.payload(leg, role, extra), {
      at,
      ...(id ? { id } : {}),
    });
    const res = await postWebhook(body);
    await this.stub.idle();
    return { res, id: body.data.id, body };
  }

  start() {
    return this.send("call.initiated", this.callerLeg, null, { direction: "incoming", state: "parked" });
  }
  answered() {
    return this.send("call.answered", this.callerLeg, "caller");
  }
  speakEnded(leg = this.callerLeg) {
    return this.send("call.speak.ended", leg, "caller", { status: "completed" });
  }
  gathered(digits: string, status = "valid") {
    return this.send("call.gather.ended", this.callerLeg, "caller", { digits, status });
  }
  agentDialled(leg: string, agentId: string) {
    return this.send("call.initiated", leg, `agent:${agentId}`, { direction: "outgoing", state: "bridging" });
  }
  agentAnswered(leg: string, agentId: string) {
    return this.send("call.answered", leg, `agent:${agentId}`);
  }
  bridged(leg: string, role: string) {
    return this.send("call.bridged", leg, role);
  }
  hangup(leg: string, role: string, cause = "normal_clearing") {
    return this.send("call.hangup", leg, role, { hangup_cause: cause, hangup_source: "caller" });
  }
}
