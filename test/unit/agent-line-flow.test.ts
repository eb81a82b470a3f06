// The invoiced agent line's call flow, step by step as the shell would drive it: who is calling
// (number, customer code, lockout, customer service), the blacklist and unpaid checks, credit
// reserved then extended during talk, the 60-second warning and the cutoff, and the one order.
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import type { CallRecord } from "../../src/ivr/types";
import {
  agentLeg,
  agentLineCall,
  connectAgent,
  creditAnswered,
  customer,
  dialIn,
  identifiedAs,
  type AgentLineScript,
} from "./support/agent-line-script";

const spoken = (s: AgentLineScript) => ofType(s.sent, "speak").map((c) => c.text);
const recordOf = (s: AgentLineScript): CallRecord => {
  const records = ofType(s.sent, "record_call");
  expect(records).toHaveLength(1);
  return records[0]!.record;
};
/** The goodbye is spoken to its end; the caller is hung up on and the call recorded. */
const goodbyeHeard = (s: AgentLineScript) => {
  s.spoke();
  return recordOf(s);
};

describe("agent line: who is calling", () => {
  it("reads the caller ID as E.164 for the line's country before looking it up", () => {
    const s = agentLineCall();
    dialIn(s, "08-123 45 67");
    expect(ofType(s.sent, "identify_caller")).toEqual([{ type: "identify_caller", number: "+4681234567" }]);
  });

  it("a known customer with credit: one block of credit is reserved, then an agent", () => {
    const s = dialIn(agentLineCall());
    const reserve = identifiedAs(s, { kind: "customer", customer: customer(), created: false }).sent.at(-1);
    // Ten minutes at 19.90 plus the 4.95 connection fee.
    expect(reserve).toEqual({
      type: "reserve_credit",
      customerId: "cu_1",
      reservationId: "session-1:1",
      amount: 10 * 1990 + 495,
      minimum: 1990 + 495,
    });
    creditAnswered(s, 20_395);
    expect(spoken(s).at(-1)).toBe("Thank you. Connecting you to an agent.");
    expect(ofType(s.sent, "reserve_agent")).toHaveLength(1);
  });

  it("an unknown number is asked for its customer code (a sensitive entry), checked from memory only", () => {
    const s = dialIn(agentLineCall({ codeLength: 6 }));
    const ask = identifiedAs(s, { kind: "unknown", reason: "not_found" }).sent;
    expect(ask).toContainEqual({ type: "log_sensitive", on: true });
    const gather = ofType(ask, "gather")[0]!;
    expect(gather.prompt).toContain("enter your 6 digit customer code");
    expect(gather.maxDigits).toBe(7);
    const keyed = s.press("246810");
    expect(keyed).toEqual([
      { type: "hold_customer_code", value: "246810" },
      { type: "log_sensitive", on: false },
      { type: "check_customer_code", number: "+4681234567" },
    ]);
    // The code went to the call's memory only: never the persisted state.
    expect(JSON.stringify(s.state)).not.toContain("246810");
  });

  it("a right code identifies the customer: their credit is reserved", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "unknown", reason: "secret" });
    s.press("246810");
    s.send({
      type: "code_checked",
      identified: { kind: "customer", customer: customer({ id: "cu_sven" }), created: false },
      at: s.now,
    });
    expect(ofType(s.sent, "reserve_credit")[0]!.customerId).toBe("cu_sven");
    expect(s.state.identifiedBy).toBe("code");
  });

  it("a wrong code is asked again; after the line's tries the caller goes to customer service", () => {
    const s = dialIn(agentLineCall({ codeTries: 3, customerServiceNumber: "+4686001099" }));
    identifiedAs(s, { kind: "unknown", reason: "incomplete" });
    for (let i = 0; i < 2; i++) {
      s.press("111111");
      const again = s.send({ type: "code_checked", identified: { kind: "wrong", locked: false }, at: s.now });
      expect(ofType(again, "gather")[0]!.prompt).toMatch(/^That customer code is not valid\. /);
    }
    s.press("111111");
    s.send({ type: "code_checked", identified: { kind: "wrong", locked: false }, at: s.now });
    expect(spoken(s).at(-1)).toBe(
      "We are transferring you to customer service, who can help you get started.",
    );
    const transfer = s.spoke();
    expect(ofType(transfer, "transfer")).toEqual([
      {
        type: "transfer",
        leg: CALLER_LEG,
        to: "+4686001099",
        from: "+4686001000",
        timeoutSecs: 30,
        role: "transfer:service",
      },
    ]);
    expect(recordOf(s).status).toBe("unidentified");
  });

  it("the fifth wrong code locks the number: told so, and hung up on", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "unknown", reason: "not_found" });
    s.press("111111");
    s.send({ type: "code_checked", identified: { kind: "locked", until: s.now + 86_400_000 }, at: s.now });
    expect(spoken(s).at(-1)).toBe(
      "Too many wrong customer codes were entered from this number. Please try again tomorrow. Goodbye.",
    );
    expect(goodbyeHeard(s).status).toBe("locked_out");
    expect(s.sent).toContainEqual({ type: "hangup", leg: CALLER_LEG });
  });

  it("a locked number is told before it is asked for a code", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "locked", until: s.now + 3_600_000 });
    expect(ofType(s.sent, "gather")).toHaveLength(0);
    expect(goodbyeHeard(s).status).toBe("locked_out");
  });

  it("no code (star) without a customer service number: a message, then goodbye", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "unknown", reason: "not_found" });
    s.press("*", "invalid");
    s.press("*", "invalid");
    expect(spoken(s).at(-1)).toBe("Please contact customer service to open an account. Goodbye.");
    expect(goodbyeHeard(s).status).toBe("unidentified");
  });
});

describe("agent line: barred, unpaid, no credit", () => {
  it("a blacklisted number hears the entry's reason, then is hung up on", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "blacklisted", prompt: "of repeated abusive behaviour" });
    expect(spoken(s).at(-1)).toBe(
      "We are sorry, but you can't use this service because of repeated abusive behaviour. Goodbye.",
    );
    expect(goodbyeHeard(s).status).toBe("blacklisted");
    expect(ofType(s.sent, "reserve_credit")).toHaveLength(0);
  });

  it("a customer blacklisted by customer (entered by code) hears their reason", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "unknown", reason: "secret" });
    s.press("246810");
    s.send({
      type: "code_checked",
      identified: {
        kind: "customer",
        customer: customer({ blacklistPrompt: "the account is closed" }),
        created: false,
      },
      at: s.now,
    });
    expect(spoken(s).at(-1)).toContain("because the account is closed.");
    expect(goodbyeHeard(s).status).toBe("blacklisted");
  });

  it("an unpaid invoice: the amount owed is spoken and the call ends", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, {
      kind: "customer",
      customer: customer({ unpaid: { amount: 62_806 }, blocked: true }),
      created: false,
    });
    expect(spoken(s).at(-1)).toBe(
      "You have an unpaid invoice of 628.06 Swedish kronor. You can call again once it is paid. Goodbye.",
    );
    expect(goodbyeHeard(s).status).toBe("unpaid_invoice");
  });

  it("less credit than one minute (with the connection fee) left: refused before an agent", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "customer", customer: customer({ available: 1990 + 494 }), created: false });
    expect(ofType(s.sent, "reserve_credit")).toHaveLength(0);
    expect(goodbyeHeard(s).status).toBe("no_credit");
  });

  it("the reservation refused (another call took the credit first): refused before an agent", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "customer", customer: customer(), created: false });
    creditAnswered(s, 0);
    expect(ofType(s.sent, "reserve_agent")).toHaveLength(0);
    s.spoke();
    // Settled like any call that asked for credit (nothing is held, nothing billed), then recorded.
    expect(ofType(s.sent, "settle_order")[0]).toMatchObject({ billableSeconds: 0, amount: 0 });
    s.send({ type: "order_settled", orderId: null, invoiceId: null, at: s.now });
    expect(recordOf(s)).toMatchObject({ status: "no_credit", amount: 0 });
  });
});

describe("agent line: talk funded by credit", () => {
  const talking = (available: number, reserved: number) => {
    const s = dialIn(agentLineCall({ warningSec: 60 }));
    identifiedAs(s, { kind: "customer", customer: customer({ available }), created: false });
    creditAnswered(s, reserved);
    return connectAgent(s);
  };

  it("the cutoff sits where the reserved credit runs out; more is reserved ahead of it", () => {
    const s = talking(100_000, 20_395);
    const started = s.now;
    // 20395 − 495 fee = 19900 = 10 minutes at 19.90.
    expect(s.timers.get("cutoff")).toBe(started + 600_000);
    expect(s.timers.get("funds")).toBe(started + 600_000 - 90_000);
    s.wait(510_000);
    const ask = s.fire("funds");
    expect(ofType(ask, "reserve_credit")).toEqual([
      {
        type: "reserve_credit",
        customerId: "cu_1",
        reservationId: "session-1:2",
        amount: 19_900,
        minimum: 1990,
      },
    ]);
    creditAnswered(s, 19_900);
    expect(s.timers.get("cutoff")).toBe(started + 1_200_000);
    expect(s.timers.get("warning")).toBe(started + 1_200_000 - 60_000);
  });

  it("credit exhausted mid-call: both parties are warned 60 s before, then the call is cut at the limit", () => {
    // 5000 öre: 4505 after the fee → 2 whole minutes at 19.90.
    const s = talking(5000, 5000);
    const started = s.now;
    expect(s.timers.get("cutoff")).toBe(started + 120_000);
    s.wait(30_000);
    s.fire("funds");
    creditAnswered(s, 0);
    s.wait(30_000);
    const warned = s.fire("warning");
    expect(warned).toEqual([
      { type: "speak", leg: CALLER_LEG, text: "Your credit runs out in 1 minute.", targetLegs: "both" },
    ]);
    s.wait(60_000);
    const cut = s.fire("cutoff");
    expect(cut).toContainEqual({ type: "hangup", leg: CALLER_LEG });
    expect(cut).toContainEqual({ type: "hangup", leg: agentLeg(1) });
    s.hungUp();
    s.hungUp(agentLeg(1), "agent:ag_1");
    const [order] = ofType(s.sent, "settle_order");
    expect(order).toMatchObject({ talkSeconds: 120, billableSeconds: 120, amount: 2 * 1990 + 495 });
    s.send({ type: "order_settled", orderId: "session-1", invoiceId: null, at: s.now });
    expect(recordOf(s)).toMatchObject({
      status: "completed",
      billableSeconds: 120,
      amount: 4475,
      currency: "sek",
      endedBy: "system",
    });
  });

  it("the caller hangs up after 61 s: two minutes on the order (the line's 60 s increment) and the connection fee", () => {
    const s = talking(100_000, 20_395);
    s.wait(61_000);
    s.hungUp();
    s.wait(1000);
    s.hungUp(agentLeg(1), "agent:ag_1");
    const [order] = ofType(s.sent, "settle_order");
    expect(order).toMatchObject({
      customerId: "cu_1",
      talkSeconds: 61,
      billableSeconds: 120,
      pricePerMinute: 1990,
      extras: 495,
      amount: 4475,
    });
    // The record waits for the order: it is written once the order is.
    expect(ofType(s.sent, "record_call")).toHaveLength(0);
    s.send({ type: "order_settled", orderId: "session-1", invoiceId: "inv_A3", at: s.now });
    s.send({ type: "order_settled", orderId: "session-1", invoiceId: "inv_A3", at: s.now });
    expect(recordOf(s).amount).toBe(4475);
  });

  it("the caller leaving before an agent answers costs nothing, and the reservation is still released", () => {
    const s = dialIn(agentLineCall());
    identifiedAs(s, { kind: "customer", customer: customer(), created: false });
    creditAnswered(s, 20_395);
    s.hungUp();
    const [order] = ofType(s.sent, "settle_order");
    expect(order).toMatchObject({ billableSeconds: 0, amount: 0, extras: 0 });
  });
});
