import { describe, expect, it } from "vitest";
import {
  defaultCardCaptureConfig,
  startCardCapture,
  stepCardCapture,
  type CardCaptureConfig,
  type CardCaptureState,
  type CardCaptureStep,
} from "../../src/card-payments/card-capture";
import { cardBrand, checkExpiry, luhnValid } from "../../src/card-payments/card-rules";
import { legId, type EngineEvent, type GatherStatus } from "../../src/ivr/types";

const LEG = legId("leg-caller");
const NOW = Date.UTC(2026, 10, 20); // November 2026
const VISA = "4242424242424242";
const AMEX = "378282246310005";

const gathered = (digits: string, status: GatherStatus = "valid"): EngineEvent => ({
  type: "digits_gathered",
  leg: LEG,
  digits,
  status,
  at: NOW,
});

function capture(events: EngineEvent[], cfg: CardCaptureConfig = defaultCardCaptureConfig) {
  const first = startCardCapture(cfg, LEG, NOW);
  let state: CardCaptureState = first.state;
  const steps: CardCaptureStep[] = [first];
  for (const event of events) {
    const step = stepCardCapture(cfg, state, event, NOW);
    state = step.state;
    steps.push(step);
  }
  return { steps, state, last: steps[steps.length - 1]!, all: steps.flatMap((s) => s.commands) };
}

const prompts = (step: CardCaptureStep) =>
  step.commands.flatMap((c) => (c.type === "gather" ? [c.prompt] : []));
/** Each field typed and confirmed with 1 (the CVC has no confirmation). */
const entered = (number = VISA, cvc = "123") =>
  [number, "1", "1228", "1", "42", "1", "90210", "1", cvc].map((d) => gathered(d));

describe("card capture", () => {
  it("collects number, expiry, street, zip and CVC into the shell's memory, keeping only brand and last 4", () => {
    const { steps, state, last, all } = capture(entered());
    expect(steps[0]!.commands[0]).toEqual({ type: "log_sensitive", on: true });
    expect(all.filter((c) => c.type === "hold_card_field")).toEqual([
      { type: "hold_card_field", field: "number", value: VISA },
      { type: "hold_card_field", field: "expiry", value: "1228" },
      { type: "hold_card_field", field: "street", value: "42" },
      { type: "hold_card_field", field: "zip", value: "90210" },
      { type: "hold_card_field", field: "cvc", value: "123" },
    ]);
    expect(prompts(steps[1]!)).toEqual([
      "You entered a card ending in 4 2 4 2. Press 1 to confirm, or 2 to enter it again.",
    ]);
    expect(last.result).toEqual({ kind: "done", brand: "visa", last4: "4242" });
    expect(last.commands.at(-1)).toEqual({ type: "log_sensitive", on: false });
    expect(state.brand).toBe("visa");
    expect(state.last4).toBe("4242");
  });

  it("never puts the card number or CVC in the persisted state, at any step", () => {
    const { steps } = capture(entered());
    for (const step of steps) {
      const json = JSON.stringify(step.state);
      expect(json).not.toContain(VISA);
      expect(json).not.toContain("424242424242");
      expect(JSON.stringify(step.commands.filter((c) => c.type !== "hold_card_field"))).not.toContain(VISA);
    }
  });

  it("a number failing Luhn is refused and asked again", () => {
    const { steps } = capture([gathered("4242424242424241")]);
    expect(steps[1]!.commands).toHaveLength(1);
    expect(prompts(steps[1]!)[0]).toMatch(/^That card number is not valid\. Please enter your card number/);
  });

  it("an expiry in the past is refused; the current month is still good, and is confirmed without reading it out", () => {
    const { steps, state } = capture([gathered(VISA), gathered("1"), gathered("1025"), gathered("1126")]);
    expect(prompts(steps[3]!)[0]).toMatch(/^That expiry date is in the past\. Please enter the expiry date/);
    expect(prompts(steps[4]!)).toEqual([
      "You entered the expiry date. Press 1 to confirm, or 2 to enter it again.",
    ]);
    expect(state.field).toBe("expiry");
  });

  it("no card field but the number's last 4 is ever spoken back: nothing for the outbox, logs or TTS to keep", () => {
    const events = [VISA, "1", "1228", "1", "87", "1", "90210", "1", "123"].map((d) => gathered(d));
    const { all } = capture(events);
    const spoken = all.flatMap((c) => (c.type === "gather" ? [c.prompt] : []));
    for (const field of ["1228", "1 2 2 8", "90210", "9 0 2 1 0", "87", "8 7", "123", "1 2 3"])
      for (const text of spoken) expect(text).not.toContain(field);
  });

  it("every field accepts a closing pound and says so; a fixed-length field takes one more key for it", () => {
    const { all } = capture(entered());
    const entries = all.filter((c) => c.type === "gather" && !c.prompt.startsWith("You entered"));
    expect(entries).toHaveLength(5);
    for (const g of entries) {
      expect(g).toMatchObject({ terminator: "#" });
      if (g.type === "gather") expect(g.prompt).toMatch(/then press pound\./);
    }
    expect(entries[1]).toMatchObject({ minDigits: 4, maxDigits: 5 }); // expiry: 4 digits, or 4 digits and #
    // Five digits typed into a 4-digit field are refused and asked again, never taken for a date.
    const { last } = capture([gathered(VISA), gathered("1"), gathered("12289")]);
    expect(prompts(last)[0]).toMatch(/^That expiry date should have 4 digits\./);
  });

  it("an Amex card asks for a 4-digit CVC", () => {
    const events = entered(AMEX, "1234").slice(0, -1);
    const { last } = capture(events);
    const gather = last.commands.find((c) => c.type === "gather");
    expect(gather).toMatchObject({
      prompt: "Please enter the 4 digit security code on your card, then press pound.",
      minDigits: 4,
      maxDigits: 5,
    });
    const done = capture(entered(AMEX, "1234")).last;
    expect(done.result).toEqual({ kind: "done", brand: "amex", last4: "0005" });
  });

  it("2 at the confirmation re-enters the number", () => {
    const { steps, state } = capture([
      gathered(VISA),
      gathered("2"),
      gathered("5555555555554444"),
      gathered("1"),
    ]);
    expect(prompts(steps[2]!)[0]).toBe(
      "Please enter your card number, then press pound. Press star at any time to cancel.",
    );
    expect(state.last4).toBe("4444");
    expect(state.brand).toBe("mastercard");
    expect(state.field).toBe("expiry");
  });

  it("* cancels: the shell forgets the card and logging goes back to normal", () => {
    const { last } = capture([gathered(VISA), gathered("1"), gathered("*")]);
    expect(last.result).toEqual({ kind: "cancelled" });
    expect(last.commands).toEqual([{ type: "forget_card" }, { type: "log_sensitive", on: false }]);
  });

  it("too many bad entries fail on that field", () => {
    const bad = gathered("4242424242424241");
    const { last } = capture([bad, bad, bad]);
    expect(last.result).toEqual({ kind: "failed", field: "number", reason: "tooManyTries" });
  });

  it("a hang-up mid-capture ends it", () => {
    const hangup: EngineEvent = {
      type: "leg_hung_up",
      leg: LEG,
      role: "caller",
      cause: "normal_clearing",
      at: NOW,
    };
    expect(capture([gathered(VISA), hangup]).last.result).toEqual({ kind: "hungUp" });
  });

  it("without confirmation, and with a 9-digit zip, each field follows the last", () => {
    const cfg = { ...defaultCardCaptureConfig, confirm: false, zipLength: 9 };
    const { last, steps } = capture(
      ["4242424242424242", "1228", "42", "902101234", "123"].map((d) => gathered(d)),
      cfg,
    );
    expect(prompts(steps[3]!)).toEqual([
      "Please enter the 9 digit zip code of your billing address, then press pound.",
    ]);
    expect(last.result).toEqual({ kind: "done", brand: "visa", last4: "4242" });
  });

  it("a field configured as voice still asks for keypad entry (speech is not wired yet)", () => {
    const cfg: CardCaptureConfig = {
      ...defaultCardCaptureConfig,
      steps: { ...defaultCardCaptureConfig.steps, number: "voice" },
    };
    const first = capture([], cfg).steps[0]!;
    expect(first.commands[1]).toMatchObject({ type: "gather", minDigits: 13, maxDigits: 19 });
  });
});

describe("card rules", () => {
  it("Luhn, brand and expiry", () => {
    expect(luhnValid(VISA)).toBe(true);
    expect(luhnValid("4242424242424241")).toBe(false);
    expect(cardBrand(AMEX)).toBe("amex");
    expect(cardBrand("6011111111111117")).toBe("discover");
    expect(cardBrand("2223003122003222")).toBe("mastercard");
    expect(checkExpiry("1326", NOW)).toBe("malformed");
    expect(checkExpiry("1026", NOW)).toBe("expired");
    expect(checkExpiry("0127", NOW)).toBe("ok");
  });
});
