/**
 * Assisted mode at the wire: a demo line with `securePayments.mode: "assisted"`, the agent's
 * console actions (POST …/steps), and a model of what DTMF crosses Telnyx's bridge. The model
 * replays the Call Control commands the Worker really sent: `bridge` with `mute_dtmf` none (tones
 * pass both ways), both (none pass), self (the leg the command was sent on receives none), opposite
 * (the other leg receives none); `enqueue` and `hangup` split a bridge. Every key the scripted
 * caller presses is handed to whichever leg the bridge would carry it to, so a test asserts on
 * what the agent's leg received.
 */
import { api, json } from "../api-helpers";
import type { AgentCall } from "./secure-payment-call";
import { agentCall } from "./secure-payment-call";
import type { FakeTelnyx, SentCommand } from "./telnyx";

export const ASSISTED = { securePayments: { mode: "assisted" } } as const;

export function assistedCall(from: string) {
  return agentCall(from, ASSISTED);
}

type Side = { partner: string; receives: boolean };

/** Who is bridged to whom after these commands, starting from the call's first bridge. */
export function bridgesAfter(sent: SentCommand[], first: [string, string]): Map<string, Side> {
  const legs = new Map<string, Side>([
    [first[0], { partner: first[1], receives: true }],
    [first[1], { partner: first[0], receives: true }],
  ]);
  const split = (leg: string) => {
    const side = legs.get(leg);
    if (side) legs.delete(side.partner);
    legs.delete(leg);
  };
  for (const c of sent) {
    if (!c.leg) continue;
    if (c.action === "enqueue" || c.action === "hangup") split(c.leg);
    if (c.action !== "bridge") continue;
    const other = String(c.body.call_control_id);
    const mute = (c.body.mute_dtmf as string | undefined) ?? "none";
    split(c.leg);
    split(other);
    legs.set(c.leg, { partner: other, receives: mute !== "both" && mute !== "self" });
    legs.set(other, { partner: c.leg, receives: mute !== "both" && mute !== "opposite" });
  }
  return legs;
}

/** The tones each leg received across the bridge, as the caller pressed keys. */
export class BridgeEar {
  private readonly heard = new Map<string, string>();
  constructor(
    private readonly telnyx: FakeTelnyx,
    private readonly c: AgentCall,
  ) {}

  /** The caller presses `digits` (Telnyx sends us call.dtmf.received for each, whatever the mute). */
  async press(digits: string): Promise<void> {
    const side = bridgesAfter(this.telnyx.sent, [this.c.call.callerLeg, this.c.agentLeg]).get(
      this.c.call.callerLeg,
    );
    const partner = side
      ? bridgesAfter(this.telnyx.sent, [this.c.call.callerLeg, this.c.agentLeg]).get(side.partner)
      : undefined;
    if (side && partner?.receives)
      this.heard.set(side.partner, (this.heard.get(side.partner) ?? "") + digits);
    for (const digit of digits)
      await this.c.call.send("call.dtmf.received", this.c.call.callerLeg, "caller", { digit });
  }

  /** Presses the keys of a gather, then reports the gather ended with them (# not included). */
  async key(digits: string): Promise<void> {
    await this.press(digits);
    this.c.call.advance(2_000);
    await this.c.call.gathered(digits.replace(/#$/, ""));
  }

  receivedBy(leg: string): string {
    return this.heard.get(leg) ?? "";
  }
}

/** The console's button for a field (or charge): one action with its own idempotency key. */
export function askFor(c: Pick<AgentCall, "call" | "token">, id: string, step: string, key: string) {
  return api(`/api/v1/calls/${c.call.sessionId}/payment-requests/${id}/steps`, {
    method: "POST",
    token: c.token,
    body: { step },
    headers: { "idempotency-key": key },
  });
}

export async function askedFor(c: Pick<AgentCall, "call" | "token">, id: string, step: string, key: string) {
  return json<{ steps: Record<string, string>; stage: string }>(await askFor(c, id, step, key), 200);
}
