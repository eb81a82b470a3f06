/**
 * The simulated network: every leg, their timers (in simulated time), what each party hears, and
 * the lifecycle rules Telnyx applies — answer, bridge, unbridge, hang-up with its cause and source,
 * and a bridged partner following its leg out unless it asked to park (park_after_unbridge "self").
 * Emits events through the webhook sender; HTTP and validation live elsewhere.
 */
import { endGather, onGatherDigit } from "./gather";
import { endVoiceGather } from "./voice-gather";
import { type Engine, type Leg, createLeg, isAlive } from "./leg";
import { abortMedia } from "./media";
import { leaveQueue } from "./queues";
import { stopRecording } from "./recording";
import type { HeardItem } from "./types";
import type { WebhookSender } from "./webhook-sender";

export type HangupSource = "caller" | "callee" | "unknown";

const SIP_CAUSE: Record<string, string> = {
  normal_clearing: "200",
  originator_cancel: "487",
  user_busy: "486",
  timeout: "480",
  call_rejected: "603",
  not_found: "404",
  time_limit: "200",
};

export class Switchboard implements Engine {
  readonly legs = new Map<string, Leg>();
  readonly queues = new Map<string, Leg[]>();
  private readonly globalTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly sender: WebhookSender,
    private readonly timeScale: number,
    readonly baseUrl: () => string,
  ) {}

  scaledMs(ms: number): number {
    return Math.max(0, Math.round(ms * this.timeScale));
  }

  emit(leg: Leg, eventType: string, extra: Record<string, unknown> = {}): void {
    this.sender.emit(leg.sessionId, eventType, {
      call_control_id: leg.id,
      call_leg_id: leg.legId,
      call_session_id: leg.sessionId,
      connection_id: leg.connectionId,
      ...(leg.clientState ? { client_state: leg.clientState } : {}),
      from: leg.from,
      to: leg.to,
      direction: leg.direction,
      ...extra,
    });
  }

  after(leg: Leg, ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      leg.timers.delete(t);
      if (isAlive(leg)) fn();
    }, this.scaledMs(ms));
    leg.timers.add(t);
    return t;
  }

  later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.globalTimers.delete(t);
      fn();
    }, this.scaledMs(ms));
    this.globalTimers.add(t);
  }

  cancel(leg: Leg, timer: NodeJS.Timeout | undefined): void {
    if (!timer) return;
    clearTimeout(timer);
    leg.timers.delete(timer);
  }

  hear(leg: Leg, item: Parameters<Engine["hear"]>[1]): void {
    const heard: HeardItem = { ...item, at: Date.now() };
    leg.heard.push(heard);
    for (const l of leg.listeners) l(heard);
  }

  add(leg: Leg): Leg {
    this.legs.set(leg.id, leg);
    return leg;
  }

  /** A PSTN caller rings one of "our" numbers: the leg waits parked for the app to answer. */
  inbound(from: string, to: string, connectionId: string): Leg {
    const leg = this.add(createLeg({ connectionId, from, to, direction: "incoming", state: "parked" }));
    this.emit(leg, "call.initiated", { state: "parked", start_time: leg.startTime });
    return leg;
  }

  answer(leg: Leg): void {
    if (leg.state !== "parked" && leg.state !== "ringing") return;
    leg.state = "answered";
    this.emit(leg, "call.answered", { state: "answered", start_time: leg.startTime });
    const waiting = leg.bridgeOnAnswer;
    leg.bridgeOnAnswer = undefined;
    if (waiting && isAlive(waiting) && leg.partner !== waiting) this.bridge(waiting, leg);
    else if (leg.partner) this.announceBridge(leg, leg.partner);
  }

  bridge(a: Leg, b: Leg): void {
    for (const leg of [a, b]) {
      if (leg.queue) leaveQueue(this, leg, "bridged");
      if (leg.partner && leg.partner !== a && leg.partner !== b) this.unbridge(leg);
    }
    a.partner = b;
    b.partner = a;
    // A bridge carries keys both ways unless the bridge command asked otherwise (set after this).
    a.dtmfMuted = false;
    b.dtmfMuted = false;
    this.emit(a, "call.bridged");
    this.emit(b, "call.bridged");
    this.announceBridge(a, b);
  }

  /** The caller hears "connected" only once both ends have answered. */
  private announceBridge(a: Leg, b: Leg): void {
    if (a.state !== "answered" || b.state !== "answered") return;
    const number = (l: Leg): string => (l.direction === "outgoing" ? l.to : l.from);
    this.hear(a, { kind: "bridged", to: number(b) });
    this.hear(b, { kind: "bridged", to: number(a) });
  }

  /** Splits leg from its partner; the partner parks if it asked to, or is hung up. */
  unbridge(leg: Leg): void {
    const partner = leg.partner;
    if (!partner) return;
    leg.partner = undefined;
    partner.partner = undefined;
    if (partner.parkAfterUnbridge === "self") return;
    if (partner.state === "ringing") this.hangup(partner, "originator_cancel", "caller");
    else this.hangup(partner, "normal_clearing", "unknown");
  }

  hangup(leg: Leg, cause: string, source: HangupSource): void {
    if (!isAlive(leg)) return;
    leg.state = "ended";
    leg.endedCause = cause;
    leg.endTime = new Date().toISOString();
    for (const t of leg.timers) clearTimeout(t);
    leg.timers.clear();
    endGather(this, leg, "call_hangup");
    abortMedia(this, leg);
    if (leg.queue) leaveQueue(this, leg, "hangup");
    this.emit(leg, "call.hangup", {
      state: "hangup",
      hangup_cause: cause,
      hangup_source: source,
      sip_hangup_cause: SIP_CAUSE[cause] ?? "unspecified",
      start_time: leg.startTime,
    });
    stopRecording(this, leg);
    this.hear(leg, { kind: "hung_up", cause });
    leg.resolveEnded({ cause });
    this.unbridge(leg);
    for (const other of this.legs.values()) {
      // A leg still ringing no longer has a caller to join on answer; the app decides what to do.
      if (other.bridgeOnAnswer === leg) other.bridgeOnAnswer = undefined;
    }
  }

  /** Speech from the far end: the answer to an open voice question (no recogniser: the text is it). */
  say(leg: Leg, text: string): void {
    if (leg.state === "answered" && leg.voiceGather) endVoiceGather(this, leg, text);
  }

  /** DTMF from the far end of a leg; only an answered leg carries audio. */
  pressKeys(leg: Leg, digits: string): void {
    for (const digit of digits) {
      if (leg.state !== "answered" || !/^[0-9A-D*#]$/.test(digit)) continue;
      this.emit(leg, "call.dtmf.received", { digit });
      const partner = leg.partner;
      if (partner?.state === "answered" && !partner.dtmfMuted) this.hear(partner, { kind: "tone", digit });
      const g = leg.gather;
      if (g && g.phase !== "queued") onGatherDigit(this, leg, g, digit);
      else leg.keys = [...leg.keys.slice(-63), { digit, at: Date.now() }];
    }
  }

  close(): void {
    for (const t of this.globalTimers) clearTimeout(t);
    this.globalTimers.clear();
    for (const leg of this.legs.values()) {
      for (const t of leg.timers) clearTimeout(t);
      leg.timers.clear();
    }
  }
}
