/**
 * The calling-card flow as call scripts (pure: events in, commands out). Reads like the calls it
 * describes: the PIN never in state, the reservation's key and amount, the dial, "##" releasing
 * the called party, the cutoff, a not-connected call costing nothing, the caller leaving while a
 * reservation is on its way.
 */
import { describe, expect, it } from "vitest";
import { CALLER_LEG, CallScript, ofType } from "../../src/ivr/call-script";
import { legId, type LineInfo } from "../../src/ivr/types";
import type {
  CardCommand,
  CardEvent,
  RatedDestination,
} from "../../src/products/calling-card/card-vocabulary";
import {
  parseCardConfig,
  type CardConfig,
  type CardConfigInput,
} from "../../src/products/calling-card/config";
import { cardFlow } from "../../src/products/calling-card/flow/card-flow";
import type { CardState } from "../../src/products/calling-card/flow/card-state";

const PIN = "048213977604";
const DEST = legId("leg-dest-1");
const UK: RatedDestination = {
  destination: "+442079460000",
  prefix: "44",
  destinationName: "United Kingdom",
  rate: { sellRate: 60_000, buyRate: 20_000, firstBlockSec: 60, stepSec: 60, connectFee: 0 },
  packageLeft: 0,
  packageId: null,
  period: 0,
  connectionFee: 0,
  connectionTax: 0,
};

function cardCall(config: CardConfigInput = {}) {
  const line: LineInfo<CardConfig> = {
    id: "line-cc",
    number: "+18005550200",
    name: "Meterline Calling",
    product: "calling_card",
    voice: "female",
    config: parseCardConfig({ welcomeText: "Welcome.", ...config }),
  };
  return new CallScript<CardState, CardConfig, CardCommand, CardEvent>(cardFlow, line);
}

/** Answered, PIN keyed and accepted with 5.00 USD available. */
function withCard(s = cardCall()) {
  s.start();
  s.answered();
  s.press(PIN);
  s.send({ type: "pin_accepted", accountId: "ac_1", currency: "usd", available: 500, at: s.now });
  return s;
}

/** A UK number keyed, rated, 5.00 reserved, the minutes announced: the dial goes out. */
function dialled(s = withCard()) {
  s.press("011442079460000");
  s.send({ type: "destination_rated", ...UK, at: s.now });
  s.send({ type: "balance_reserved", key: "session-1:1", amount: 500, at: s.now });
  s.spoke();
  return s;
}

function talking(s = dialled()) {
  s.dialled(DEST, "dest:1");
  s.answered(DEST, "dest:1");
  s.bridged(DEST, "dest:1");
  return s;
}

describe("calling card flow", () => {
  it("answers with digits redacted from logs, asks for the PIN, keeps it out of state and checks it", () => {
    const s = cardCall();
    expect(s.start()).toEqual([
      { type: "log_sensitive", on: true },
      { type: "answer", leg: CALLER_LEG },
    ]);
    expect(ofType(s.answered(), "gather")[0]).toMatchObject({
      prompt: "Welcome. Please enter your PIN, followed by the pound key.",
      minDigits: 10,
      maxDigits: 16,
      terminator: "#",
    });
    expect(s.press(PIN)).toEqual([
      { type: "hold_pin", value: PIN },
      { type: "check_pin", callerNumber: "+15550001111", maxCalls: 1 },
    ]);
    expect(JSON.stringify(s.state)).not.toContain(PIN);
  });

  it("rates the number, reserves what the longest call would cost, announces the minutes, dials", () => {
    const s = withCard();
    expect(s.press("011442079460000")).toEqual([
      { type: "rate_destination", accountId: "ac_1", destination: "+442079460000" },
    ]);
    const reserve = s.send({ type: "destination_rated", ...UK, at: s.now });
    // 240 minutes at 0.06 is 14.40: reserve up to that, at least the first minute.
    expect(reserve).toEqual([
      {
        type: "reserve_balance",
        key: "session-1:1",
        accountId: "ac_1",
        amount: 1440,
        minimum: 6,
        maxCalls: 1,
        rated: UK,
      },
    ]);
    expect(s.send({ type: "balance_reserved", key: "session-1:1", amount: 500, at: s.now })).toEqual([
      { type: "speak", leg: CALLER_LEG, text: "You can talk for up to 83 minutes." },
    ]);
    expect(ofType(s.spoke(), "dial")).toEqual([
      {
        type: "dial",
        role: "dest:1",
        to: "+442079460000",
        from: "+18005550200",
        linkTo: CALLER_LEG,
        timeoutSecs: 30,
        timeLimitSecs: 4980 + 30 + 30,
        bridgeOnAnswer: true,
      },
    ]);
  });

  it("## releases the called party and settles the call; the caller hears the balance and the next prompt", () => {
    const s = talking();
    const from = s.now;
    s.wait(45_000);
    s.send({ type: "dtmf_received", leg: CALLER_LEG, digit: "#", at: s.now });
    expect(s.send({ type: "dtmf_received", leg: CALLER_LEG, digit: "#", at: s.now })).toContainEqual({
      type: "hangup",
      leg: DEST,
    });
    s.wait(300);
    const settle = ofType(s.hungUp(DEST, "dest:1"), "settle_card_call");
    expect(settle).toEqual([
      expect.objectContaining({
        key: "session-1:1",
        outcome: "completed",
        talkStartedAt: from,
        billableSeconds: 60,
        amount: 6,
      }),
    ]);
    const next = s.send({
      type: "card_call_settled",
      key: "session-1:1",
      amount: 6,
      billableSeconds: 60,
      balance: 494,
      available: 494,
      at: s.now,
    });
    expect(ofType(next, "gather")[0]?.prompt).toBe(
      "Your call has ended. You have 4.94 US dollars. Please enter the number you wish to call, followed by the pound key.",
    );
    expect(ofType(next, "hangup")).toEqual([]);
  });

  it("a busy number costs nothing: the reservation is released with amount 0", () => {
    const s = dialled();
    s.dialled(DEST, "dest:1");
    const settle = ofType(s.hungUp(DEST, "dest:1", "user_busy"), "settle_card_call");
    expect(settle).toEqual([
      expect.objectContaining({ outcome: "busy", amount: 0, connectionFee: 0, billableSeconds: 0 }),
    ]);
  });

  it("the caller leaving while the reservation is on its way: released when it arrives, then the record", () => {
    const s = withCard();
    s.press("011442079460000");
    s.send({ type: "destination_rated", ...UK, at: s.now });
    expect(s.hungUp()).toEqual([]);
    const release = s.send({ type: "balance_reserved", key: "session-1:1", amount: 500, at: s.now });
    expect(ofType(release, "settle_card_call")).toEqual([
      expect.objectContaining({ outcome: "cancelled", amount: 0 }),
    ]);
    const end = s.send({
      type: "card_call_settled",
      key: "session-1:1",
      amount: 0,
      billableSeconds: 0,
      balance: 500,
      available: 500,
      at: s.now,
    });
    expect(ofType(end, "record_call")[0]?.record).toMatchObject({
      status: "abandoned",
      amount: 0,
      currency: "usd",
    });
  });

  it("a late or repeated answer for another call's key changes nothing", () => {
    const s = dialled();
    const before = JSON.stringify(s.state);
    expect(s.send({ type: "balance_reserved", key: "session-1:9", amount: 100, at: s.now })).toEqual([]);
    expect(
      s.send({
        type: "card_call_settled",
        key: "session-1:1",
        amount: 0,
        billableSeconds: 0,
        balance: 0,
        available: 0,
        at: s.now,
      }),
    ).toEqual([]);
    expect(JSON.stringify(s.state)).toBe(before);
  });
});
