import { describe, expect, it } from "vitest";
import { say, spokenDigits, spokenDuration, spokenMoney } from "../../src/ivr/prompts";
import { rowsFor, stepByTable } from "../../src/ivr/transition-table";
import { legId, type EngineEvent } from "../../src/ivr/types";

describe("spoken forms", () => {
  it.each([
    [1250, "usd", "12.50 US dollars"],
    [5, "usd", "0.05 US dollars"],
    [199, "eur", "1.99 euros"],
    [500, "jpy", "500 Japanese yen"],
    [1000, "pln", "10.00 Polish zloty"],
    [1500, "kwd", "1.500 Kuwaiti dinars"],
  ])("%i %s → %s", (amount, currency, text) => {
    expect(spokenMoney(amount, currency)).toBe(text);
  });

  it("digits one by one, durations in minutes when whole", () => {
    expect(spokenDigits("4242")).toBe("4 2 4 2");
    expect(spokenDuration(60)).toBe("1 minute");
    expect(spokenDuration(1500)).toBe("25 minutes");
    expect(spokenDuration(90)).toBe("90 seconds");
  });

  it("say targets one leg, or both when asked", () => {
    const leg = legId("l");
    expect(say(leg, "Hi")).toEqual({ type: "speak", leg, text: "Hi" });
    expect(say(leg, "Hi", "both")).toEqual({ type: "speak", leg, text: "Hi", targetLegs: "both" });
  });
});

describe("transition table", () => {
  type S = { phase: "a" | "b"; seen: number };
  const on = rowsFor<S, null>();
  const rows = [
    on("a", "timer:go", (s) => ({ state: { ...s, phase: "b" as const }, commands: [] })),
    on(
      "a",
      "speak_ended",
      (s) => ({ state: { ...s, seen: s.seen + 1 }, commands: [] }),
      (s) => s.seen < 1,
    ),
    on(["a", "b"], "call_settled", (s) => ({ state: { ...s, seen: 99 }, commands: [] })),
  ];
  const ev = (e: EngineEvent) => e;

  it("runs the first matching row; a named timer matches only its own name", () => {
    const start: S = { phase: "a", seen: 0 };
    expect(stepByTable(rows, start, ev({ type: "timer_fired", name: "other", at: 0 }), null).state).toBe(
      start,
    );
    expect(stepByTable(rows, start, ev({ type: "timer_fired", name: "go", at: 0 }), null).state.phase).toBe(
      "b",
    );
    expect(
      stepByTable(rows, { phase: "b", seen: 0 }, ev({ type: "call_settled", at: 0 }), null).state.seen,
    ).toBe(99);
  });

  it("ignores pairs not in the table and rows whose guard fails", () => {
    const seenOnce: S = { phase: "a", seen: 1 };
    const result = stepByTable(rows, seenOnce, ev({ type: "speak_ended", leg: legId("x"), at: 0 }), null);
    expect(result).toEqual({ state: seenOnce, commands: [] });
    expect(
      stepByTable(rows, { phase: "b", seen: 0 }, ev({ type: "speak_ended", leg: legId("x"), at: 0 }), null)
        .commands,
    ).toEqual([]);
  });
});
