/**
 * Assisted mode as a call script: the muted bridge instead of the private queue, the caller's
 * amount, then only the fields the agent asks for (a field the caller cannot key is marked failed
 * and may be asked again), a charge only once all four are complete, and a request that ends when
 * the agent asks for nothing for 10 minutes. No digits in the machine's state or the live frame.
 */
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import { AGENT_IDLE_MS } from "../../src/secure-payments/assisted-payment";
import {
  AGENT,
  AS_AGENT,
  CARD,
  detailOf,
  recordsOf,
  request,
  talking,
  type PaymentScript,
} from "./support/secure-payment-script";

const ASSISTED = { securePayments: { mode: "assisted" } };
const ID = "sp_session-1_1";

const ask = (s: PaymentScript, step: string, key: string) =>
  s.act("payment_step", { request_id: ID, step }, key, AS_AGENT);
const replyOf = (said: ReturnType<PaymentScript["send"]>) => ofType(said, "reply_action")[0]?.reply;

/** Asked for, the muted bridge confirmed, the amount confirmed with 1. */
function toFields(): PaymentScript {
  const s = talking(ASSISTED);
  request(s);
  s.bridged(CALLER_LEG, "caller");
  s.press("1");
  s.spoke();
  return s;
}

describe("assisted mode", () => {
  it("makes the bridge again with DTMF muted, and asks nothing of the caller until Telnyx confirms it", () => {
    const s = talking(ASSISTED);
    const said = request(s);
    expect(said).toContainEqual({
      type: "bridge",
      leg: CALLER_LEG,
      other: AGENT,
      parkAfterUnbridge: "self",
      muteDtmf: "both",
    });
    expect(ofType(said, "enqueue")).toEqual([]);
    expect(ofType(said, "gather")).toEqual([]);
    const confirmed = s.bridged(CALLER_LEG, "caller");
    expect(ofType(confirmed, "record_pause")).toHaveLength(1);
    expect(ofType(confirmed, "gather")[0]?.prompt).toMatch(/stays on the line, but cannot hear the keys/);
  });

  it("an isolated line (the default) still sends the agent to the private queue", () => {
    const s = talking();
    expect(ofType(request(s), "enqueue")).toHaveLength(1);
  });

  it("asks only for the field the agent picks, marks one the caller cannot key as failed, and charges once all four are complete", () => {
    const s = toFields();
    expect(ofType(s.sent.slice(-3), "gather")).toEqual([]);
    expect(replyOf(ask(s, "charge", "c0"))).toMatchObject({ ok: false, status: 409 });
    const asked = ask(s, "expiry", "k1");
    expect(ofType(asked, "gather")[0]?.prompt).toMatch(/expiry date/);
    expect(detailOf(s)).toMatchObject({ step_expiry: "entering", payment_field: "expiry" });
    // Another field while the caller keys this one: refused.
    expect(replyOf(ask(s, "zip", "k2"))).toMatchObject({ ok: false, status: 409 });
    for (let i = 0; i < 3; i++) s.press("1399");
    expect(detailOf(s)).toMatchObject({ step_expiry: "failed", payment_status: "in_progress" });
    expect(ofType(s.sent, "forget_card")).toEqual([]);
    for (const [field, digits] of [
      ["expiry", CARD.expiry],
      ["number", CARD.number],
      ["zip", CARD.zip],
      ["cvc", CARD.cvc],
    ] as const) {
      ask(s, field, `f-${field}`);
      s.press(digits);
      s.press("1");
    }
    expect(detailOf(s)).toMatchObject({
      step_number: "complete",
      step_expiry: "complete",
      step_cvc: "complete",
      step_zip: "complete",
    });
    expect(JSON.stringify(s.state)).not.toContain(CARD.number);
    const charging = ask(s, "charge", "c1");
    expect(ofType(charging, "prepare_payment")).toEqual([
      expect.objectContaining({ capture: "automatic", idempotencyKey: `${ID}:pi:1`, amount: 1250 }),
    ]);
  });

  it("ends the request when the agent asks for nothing for 10 minutes", () => {
    const s = toFields();
    expect(s.timers.get("sp_input")).toBe(s.now + AGENT_IDLE_MS);
    s.fire("sp_input");
    expect(recordsOf(s)).toEqual([expect.objectContaining({ status: "failed", reason: "timed_out" })]);
  });
});
