import { describe, expect, it } from "vitest";
import {
  CONFIRM_AGAIN_TEXT,
  NO_INPUT_TEXT,
  NOT_VALID_TEXT,
  invalid,
  startCollect,
  stepCollect,
  valid,
  type CollectDigitsSpec,
  type CollectDigitsState,
  type CollectStep,
} from "../../src/ivr/collect-digits";
import { legId, type EngineEvent, type GatherStatus } from "../../src/ivr/types";

const LEG = legId("leg-a");
const OTHER = legId("leg-b");

const pin: CollectDigitsSpec = {
  prompt: "Enter your 4 digit PIN.",
  minDigits: 4,
  maxDigits: 4,
  validate: (d) => (d.startsWith("0") ? invalid("A PIN never starts with 0.") : valid),
  maxTries: 3,
  timeoutMs: 5000,
};
const confirmed: CollectDigitsSpec = { ...pin, readback: (d) => d.split("").join(" ") };
const secret: CollectDigitsSpec = {
  ...confirmed,
  sensitive: true,
  readback: (d) => `a code ending in ${d.slice(-1)}`,
};

const gathered = (digits: string, status: GatherStatus = "valid", leg = LEG): EngineEvent => ({
  type: "digits_gathered",
  leg,
  digits,
  status,
  at: 0,
});

/** Runs the script: start, then each event; returns every step. */
function run(spec: CollectDigitsSpec, ...events: EngineEvent[]) {
  const first = startCollect(spec, LEG);
  let state: CollectDigitsState = first.state;
  const steps: CollectStep[] = [first];
  for (const event of events) {
    const step = stepCollect(spec, state, event);
    state = step.state;
    steps.push(step);
  }
  return { steps, last: steps[steps.length - 1]!, state };
}

const prompts = (step: CollectStep) => step.commands.flatMap((c) => (c.type === "gather" ? [c.prompt] : []));

describe("collect digits", () => {
  it("prompts with a gather that allows # to finish and * to cancel", () => {
    const { steps } = run(pin);
    expect(steps[0]!.commands).toEqual([
      {
        type: "gather",
        leg: LEG,
        prompt: "Enter your 4 digit PIN.",
        minDigits: 4,
        maxDigits: 4,
        terminator: "#",
        validDigits: "0123456789*#",
        timeoutMs: 5000,
      },
    ]);
  });

  it("valid entry → done with the digits", () => {
    const { last } = run(pin, gathered("1234"));
    expect(last.result).toEqual({ kind: "done", value: "1234" });
    expect(last.entered).toBe("1234");
    expect(last.commands).toEqual([]);
  });

  it("invalid then valid: says why, asks again, then done", () => {
    const { steps, last } = run(pin, gathered("0123"), gathered("1234"));
    expect(prompts(steps[1]!)).toEqual(["A PIN never starts with 0. Enter your 4 digit PIN."]);
    expect(steps[1]!.result).toBeUndefined();
    expect(last.result).toEqual({ kind: "done", value: "1234" });
  });

  it("too short (Telnyx says invalid) is retried with a generic reason", () => {
    const { steps } = run(pin, gathered("12", "invalid"));
    expect(prompts(steps[1]!)).toEqual([`${NOT_VALID_TEXT} Enter your 4 digit PIN.`]);
  });

  it("confirm: readback, 1 confirms", () => {
    const { steps, last } = run(confirmed, gathered("1234"), gathered("1"));
    expect(steps[1]!.commands).toEqual([
      {
        type: "gather",
        leg: LEG,
        prompt: "You entered 1 2 3 4. Press 1 to confirm, or 2 to enter it again.",
        minDigits: 1,
        maxDigits: 1,
        validDigits: "12*",
        timeoutMs: 5000,
      },
    ]);
    expect(last.result).toEqual({ kind: "done", value: "1234" });
  });

  it("confirm: 2 re-enters, and the new entry is the one returned", () => {
    const { steps, last } = run(confirmed, gathered("1234"), gathered("2"), gathered("5678"), gathered("1"));
    expect(prompts(steps[2]!)).toEqual(["Enter your 4 digit PIN."]);
    expect(last.result).toEqual({ kind: "done", value: "5678" });
  });

  it("silence: says nothing was received and asks again", () => {
    const { steps } = run(pin, gathered("", "timeout"));
    expect(prompts(steps[1]!)).toEqual([`${NO_INPUT_TEXT} Enter your 4 digit PIN.`]);
  });

  it("a silent confirmation is asked again", () => {
    const { steps } = run(confirmed, gathered("1234"), gathered("", "timeout"));
    expect(prompts(steps[2]!)).toEqual([`You entered 1 2 3 4. ${CONFIRM_AGAIN_TEXT}`]);
  });

  it("max tries: the third bad entry fails with tooManyTries", () => {
    const { steps, last } = run(pin, gathered("0000"), gathered("", "timeout"), gathered("0111"));
    expect(steps[2]!.result).toBeUndefined();
    expect(last.result).toEqual({ kind: "failed", reason: "tooManyTries" });
    expect(last.commands).toEqual([]);
  });

  it("* cancels, while entering or confirming", () => {
    expect(run(pin, gathered("12*", "invalid")).last.result).toEqual({ kind: "cancelled" });
    expect(run(confirmed, gathered("1234"), gathered("*")).last.result).toEqual({ kind: "cancelled" });
  });

  it("hang-up (gather status or the leg's hang-up) → hungUp", () => {
    expect(run(pin, gathered("", "hangup")).last.result).toEqual({ kind: "hungUp" });
    const hangup: EngineEvent = {
      type: "leg_hung_up",
      leg: LEG,
      role: "caller",
      cause: "normal_clearing",
      at: 0,
    };
    expect(run(pin, hangup).last.result).toEqual({ kind: "hungUp" });
  });

  it("ignores other legs and unrelated events", () => {
    const { last, state } = run(pin, gathered("1234", "valid", OTHER), {
      type: "speak_ended",
      leg: LEG,
      at: 0,
    });
    expect(last.result).toBeUndefined();
    expect(last.commands).toEqual([]);
    expect(state.step).toBe("entering");
  });

  it("sensitive: digits leave once as `entered`, never in the state or the readback", () => {
    const { steps, last, state } = run(secret, gathered("9876"), gathered("", "timeout"), gathered("1"));
    expect(steps[1]!.entered).toBe("9876");
    expect(JSON.stringify(steps[1]!.state)).not.toContain("9876");
    expect(JSON.stringify(steps[1]!.commands)).not.toContain("9876");
    expect(prompts(steps[1]!)).toEqual([
      "You entered a code ending in 6. Press 1 to confirm, or 2 to enter it again.",
    ]);
    // Asked again without the readback: the digits are no longer here to read.
    expect(prompts(steps[2]!)).toEqual([CONFIRM_AGAIN_TEXT]);
    expect(last.result).toEqual({ kind: "done", value: null });
    expect(JSON.stringify(state)).not.toContain("9876");
  });
});
