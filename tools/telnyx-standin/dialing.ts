/**
 * Outgoing legs — `POST /v2/calls` and `transfer` — and how the dialled party behaves per its
 * AgentPolicy (per number, or per number prefix for a calling card's destinations): rings then
 * answers (and maybe hangs up later), is busy, rejects, does not exist, or never answers until
 * timeout_secs. time_limit_secs hangs a leg up with cause time_limit. With transfer Telnyx
 * reports call.bridged while the new leg still rings, so apps must not bill from it.
 */
import { type Leg, createLeg } from "./leg";
import type { Switchboard } from "./switchboard";
import type { AgentPolicy } from "./types";

const DEFAULT_RING_MS = 2000;
/** How long a busy or rejecting network takes to say so. */
const REFUSAL_MS = 600;

export type DialSpec = {
  from: string;
  to: string;
  connectionId: string;
  sessionId?: string;
  clientState?: string;
  parkAfterUnbridge?: string;
  timeoutSecs: number;
  timeLimitSecs: number;
};

/** Who answers a dialled number: an exact number's policy, else the longest matching prefix's, else the fallback. */
export class AgentDirectory {
  private readonly policies = new Map<string, AgentPolicy>();
  private readonly prefixes = new Map<string, AgentPolicy>();
  constructor(
    agents: Record<string, AgentPolicy>,
    private readonly fallback: AgentPolicy,
    prefixes: Record<string, AgentPolicy> = {},
  ) {
    for (const [dest, policy] of Object.entries(agents)) this.policies.set(dest, policy);
    for (const [prefix, policy] of Object.entries(prefixes)) this.prefixes.set(prefix, policy);
  }
  set(dest: string, policy: AgentPolicy): void {
    this.policies.set(dest, policy);
  }
  setPrefix(prefix: string, policy: AgentPolicy): void {
    this.prefixes.set(prefix, policy);
  }
  get(dest: string): AgentPolicy {
    const exact = this.policies.get(dest);
    if (exact) return exact;
    let best: string | null = null;
    for (const prefix of this.prefixes.keys())
      if (dest.startsWith(prefix) && (best === null || prefix.length > best.length)) best = prefix;
    return best === null ? this.fallback : this.prefixes.get(best)!;
  }
}

/** Creates the leg (so the API can answer with its ids); ringing starts with startRinging. */
export function createOutgoingLeg(sb: Switchboard, spec: DialSpec): Leg {
  const leg = createLeg({
    ...(spec.sessionId ? { sessionId: spec.sessionId } : {}),
    ...(spec.clientState ? { clientState: spec.clientState } : {}),
    connectionId: spec.connectionId,
    from: spec.from,
    to: spec.to,
    direction: "outgoing",
    state: "ringing",
  });
  if (spec.parkAfterUnbridge) leg.parkAfterUnbridge = spec.parkAfterUnbridge;
  return sb.add(leg);
}

export function startRinging(sb: Switchboard, leg: Leg, policy: AgentPolicy, spec: DialSpec): void {
  sb.emit(leg, "call.initiated", { state: "bridging", start_time: leg.startTime });
  sb.after(leg, spec.timeLimitSecs * 1000, () => sb.hangup(leg, "time_limit", "unknown"));
  const timeoutMs = spec.timeoutSecs * 1000;
  const noAnswer = (): void => sb.hangup(leg, "timeout", "unknown");
  switch (policy.kind) {
    case "answer": {
      const ringMs = policy.ringMs ?? DEFAULT_RING_MS;
      if (ringMs >= timeoutMs) {
        sb.after(leg, timeoutMs, noAnswer);
        return;
      }
      sb.after(leg, ringMs, () => {
        sb.answer(leg);
        const hangupAfter = policy.hangupAfterMs;
        if (hangupAfter !== undefined)
          sb.after(leg, hangupAfter, () => sb.hangup(leg, "normal_clearing", "callee"));
      });
      return;
    }
    case "busy":
      sb.after(leg, REFUSAL_MS, () => sb.hangup(leg, "user_busy", "callee"));
      return;
    case "reject":
      sb.after(leg, REFUSAL_MS, () => sb.hangup(leg, "call_rejected", "callee"));
      return;
    case "not_found":
      sb.after(leg, REFUSAL_MS, () => sb.hangup(leg, "not_found", "unknown"));
      return;
    case "no_answer":
      sb.after(leg, timeoutMs, noAnswer);
      return;
  }
}

/** Dial with link_to + bridge_on_answer: the linked leg hears ringing, then is bridged on answer. */
export function ringToward(sb: Switchboard, dialled: Leg, caller: Leg): void {
  dialled.bridgeOnAnswer = caller;
  sb.hear(caller, { kind: "ringing", to: dialled.to });
}

/** transfer: a new leg in the caller's session, bridged at once (early media), answered per policy. */
export function transferLeg(
  sb: Switchboard,
  from: Leg,
  target: Leg,
  policy: AgentPolicy,
  spec: DialSpec,
): void {
  sb.hear(from, { kind: "ringing", to: target.to });
  startRinging(sb, target, policy, spec);
  sb.bridge(from, target);
}
