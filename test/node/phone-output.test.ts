// What the softphone prints and reads at the terminal: the listening line for an open gather, the
// key echo that grows on one line, and raw terminal input whose escape sequences (arrow and
// function keys, bracketed-paste markers) hold digits that must never be sent as keys.
import { describe, expect, it } from "vitest";
import { readTerminalInput } from "../../tools/phone/terminal-input";
import { createTranscript, describeHeard, describeListening } from "../../tools/phone/transcript";

describe("listening line", () => {
  it("says how many digits the gather takes and how to finish", () => {
    expect(describeListening({ minDigits: 13, maxDigits: 19, terminatingDigit: "#" })).toBe(
      "⌨ listening for 13–19 digits, # to finish",
    );
    expect(describeListening({ minDigits: 4, maxDigits: 4, terminatingDigit: "#" })).toBe(
      "⌨ listening for 4 digits, # to finish",
    );
    expect(describeListening({ minDigits: 1, maxDigits: 10, terminatingDigit: "" })).toBe(
      "⌨ listening for 1–10 digits",
    );
    // A one-key menu ends at the key: no terminator to mention.
    expect(describeListening({ minDigits: 1, maxDigits: 1, terminatingDigit: "#" })).toBe(
      "⌨ listening for 1 digit",
    );
  });

  it("follows a prompt that opens a gather, and reads an item from an older stand-in too", () => {
    const listening = { minDigits: 1, maxDigits: 1, terminatingDigit: "#" };
    expect(describeHeard({ kind: "speak", text: "Press 1", gather: true, listening, at: 0 })).toEqual([
      "🔊 Press 1",
      "⌨ listening for 1 digit",
    ]);
    expect(describeHeard({ kind: "speak", text: "Try again.", gather: true, at: 0 })).toEqual([
      "🔊 Try again.",
    ]);
    expect(describeHeard({ kind: "gather", at: 0 })).toEqual(["⌨ listening for keys"]);
  });
});

describe("key echo", () => {
  it("keys sent one after another read as one entry, closed by the next line heard", () => {
    let text = "";
    const out = createTranscript((t) => (text += t));
    out.line("🔊 Please enter your card number");
    out.keys("4");
    out.keys("242#");
    out.line("🔊 You entered a card ending in 4 2 4 2.");
    out.keys("1");
    out.close();
    out.close();
    expect(text).toBe(
      "🔊 Please enter your card number\n  › pressed 4242#\n🔊 You entered a card ending in 4 2 4 2.\n  › pressed 1\n",
    );
  });
});

describe("terminal input", () => {
  it("a paste is one key string; h hangs up after the keys before it", () => {
    expect(readTerminalInput("4242424242424242#")).toEqual({ keys: "4242424242424242#", hangup: false });
    expect(readTerminalInput("12h34")).toEqual({ keys: "12", hangup: true });
    expect(readTerminalInput("\u0003")).toEqual({ keys: "", hangup: true });
    expect(readTerminalInput("x y\r\n")).toEqual({ keys: "", hangup: false });
  });

  it("drops escape sequences, whose digits are not keys", () => {
    // Bracketed paste wraps the text in ESC[200~ … ESC[201~.
    expect(readTerminalInput("\u001b[200~4000000000000002#\u001b[201~").keys).toBe("4000000000000002#");
    expect(readTerminalInput("\u001b[15~").keys).toBe(""); // F5
    expect(readTerminalInput("\u001b[1;5A1").keys).toBe("1"); // Ctrl-Up, then 1
    expect(readTerminalInput("\u001bOP2").keys).toBe("2"); // F1 (SS3), then 2
    expect(readTerminalInput("\u001b")).toEqual({ keys: "", hangup: false }); // Esc alone
  });
});
