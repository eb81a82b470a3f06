// CSV cells for spreadsheet users: caller-supplied text that a spreadsheet would evaluate as a
// formula gets a leading apostrophe; phone numbers and plain numbers stay exactly as they are.
import { describe, expect, it } from "vitest";
import { csvField } from "../../src/api/csv";

describe("csvField", () => {
  it("neutralises cells starting with = + - @ tab or CR", () => {
    expect(csvField("=1+1")).toBe("'=1+1");
    expect(csvField("+1-2")).toBe("'+1-2");
    expect(csvField("-cmd|' /C calc'!A0")).toBe("'-cmd|' /C calc'!A0");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\t=1")).toBe("'\t=1");
    expect(csvField("\r=1")).toBe(`"'\r=1"`);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
  });

  it("keeps E.164 numbers, plain numbers and ordinary text readable", () => {
    expect(csvField("+15551234567")).toBe("+15551234567");
    expect(csvField("-12.34")).toBe("-12.34");
    expect(csvField(-250)).toBe("-250");
    expect(csvField("anonymous")).toBe("anonymous");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField(null)).toBe("");
  });
});
