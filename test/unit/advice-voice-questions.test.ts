// Voice questions in the advice line's card menu: asked by speech at the line's points (after the
// welcome, after the terms, after the payment), asked again once when not understood, stored with
// the call — and never a card field: the config refuses a voice card step, and a card number said
// in an answer is not kept.
import { describe, expect, it } from "vitest";
import { CALLER_LEG, ofType } from "../../src/ivr/call-script";
import { scrubAnswer, startVoiceQuestions, stepVoiceQuestions } from "../../src/ivr/voice-questions";
import {
  adviceConfigSchema,
  parseAdviceConfig,
  type AdviceConfigInput,
} from "../../src/products/advice/config";
import {
  adviceCall,
  approve,
  connectRep,
  keyInCard,
  moneySettles,
  repFollows,
  type AdviceScript,
} from "./support/advice-script";

const BASE: AdviceConfigInput = {
  billing: "per_minute",
  currency: "usd",
  ratePerMinute: 199,
  preauthAmount: 5000,
  welcomeText: "Welcome.",
};
const withQuestions = (
  ...qs: { field: string; prompt: string; at: "before_terms" | "before_card" | "before_rep" }[]
) => adviceCall({ ...BASE, voiceQuestions: qs });

const said = (s: AdviceScript, answer: string | null, status: "valid" | "invalid" = "valid") =>
  s.send({ type: "voice_answered", leg: CALLER_LEG, status, answer, at: s.now });
const asked = (s: AdviceScript) => ofType(s.sent, "ask_by_voice");

describe("voice questions in the advice menu", () => {
  it("after the welcome, before the terms: asked by voice, then the terms", () => {
    const s = withQuestions({ field: "caller_name", prompt: "Please say your name.", at: "before_terms" });
    s.start();
    s.answered();
    expect(s.spoke()).toEqual([
      {
        type: "ask_by_voice",
        leg: CALLER_LEG,
        field: "caller_name",
        prompt: "Please say your name.",
        timeoutMs: 8000,
      },
    ]);
    const terms = said(s, "Anna Lind");
    expect(ofType(terms, "gather")[0]?.prompt).toMatch(/Press 1 to accept/);
  });

  it("after the terms: the topic, then the card number prompt", () => {
    const s = withQuestions({
      field: "topic",
      prompt: "In a few words, what is your call about?",
      at: "before_card",
    });
    s.start();
    s.answered();
    s.spoke();
    s.press("1");
    expect(asked(s).map((a) => a.field)).toEqual(["topic"]);
    expect(ofType(said(s, "my tax return"), "gather")[0]?.prompt).toMatch(/^Please enter your card number/);
  });

  it("after the payment: asked before the rep; the answers reach the call record", () => {
    const s = withQuestions(
      { field: "caller_name", prompt: "Please say your name.", at: "before_terms" },
      { field: "topic", prompt: "What is your call about?", at: "before_rep" },
    );
    s.start();
    s.answered();
    s.spoke();
    said(s, "Anna Lind");
    s.press("1");
    approve(keyInCard(s));
    expect(ofType(s.sent, "speak").at(-1)?.text).toBe("Thank you, your card is approved.");
    expect(ofType(s.sent, "reserve_agent")).toHaveLength(0);
    expect(ofType(said(s, "career change"), "reserve_agent")).toHaveLength(1);
    connectRep(s);
    s.wait(30_000);
    s.hungUp();
    moneySettles(repFollows(s));
    expect(ofType(s.sent, "record_call")[0]?.record.answers).toEqual({
      caller_name: "Anna Lind",
      topic: "career change",
    });
  });

  it("not understood: asked once more, then left unanswered and the menu goes on", () => {
    const s = withQuestions({ field: "caller_name", prompt: "Please say your name.", at: "before_terms" });
    s.start();
    s.answered();
    s.spoke();
    expect(ofType(said(s, null, "invalid"), "ask_by_voice")[0]?.prompt).toBe(
      "Sorry, I did not catch that. Please say your name.",
    );
    const terms = said(s, null, "invalid");
    expect(ofType(terms, "gather")).toHaveLength(1);
    expect(s.state.answers).toEqual({ caller_name: null });
  });

  it("a card number said in an answer is not kept", () => {
    expect(scrubAnswer("it is 4242 4242 4242 4242 thanks")).toBe("it is [digits removed] thanks");
    expect(scrubAnswer("room 101, call 555-0100")).toBe("room 101, call 555-0100");
    const start = startVoiceQuestions([{ field: "topic", prompt: "Topic?" }], CALLER_LEG);
    const done = stepVoiceQuestions(start.state, {
      type: "voice_answered",
      leg: CALLER_LEG,
      status: "valid",
      answer: "card 4000-0000-0000-0002 declined",
      at: 1,
    });
    expect(done.done).toEqual({ topic: "card [digits removed] declined" });
  });

  it("a line without questions never asks by voice", () => {
    const s = adviceCall(BASE);
    s.start();
    s.answered();
    s.spoke();
    s.press("1");
    keyInCard(s);
    expect(asked(s)).toHaveLength(0);
  });
});

describe("the config keeps card fields on the keypad", () => {
  it("refuses a voice card step, saying why", () => {
    const parsed = adviceConfigSchema.safeParse({ ...BASE, cardSteps: { number: "voice" } });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ["cardSteps", "number"],
      message: expect.stringMatching(/keypad-only/) as string,
    });
  });

  it("reads a line stored with a voice card step (before the refusal) as keypad steps", () => {
    expect(parseAdviceConfig({ ...BASE, cardSteps: { cvc: "voice" } }).cardSteps.cvc).toBe("touch_tone");
  });

  it("refuses two questions with one field name, and bad names", () => {
    const twice = adviceConfigSchema.safeParse({
      ...BASE,
      voiceQuestions: [
        { field: "a", prompt: "A?" },
        { field: "a", prompt: "B?" },
      ],
    });
    expect(twice.error?.issues.map((i) => i.path.join("."))).toEqual(["voiceQuestions.1.field"]);
    const bad = adviceConfigSchema.safeParse({
      ...BASE,
      voiceQuestions: [{ field: "Card Number", prompt: "?" }],
    });
    expect(bad.error?.issues.map((i) => i.path.join("."))).toEqual(["voiceQuestions.0.field"]);
  });
});
