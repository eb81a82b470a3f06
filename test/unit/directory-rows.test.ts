// Checking an address directory file before any of it is imported: every bad row is named by its
// line in the file and its column, numbers come out as E.164, and a file with any bad row yields
// no entries at all.
import { describe, expect, it } from "vitest";
import { directoryRowsOf } from "../../src/products/agent-line/api/directory-rows";
import { parseCsv } from "../../src/products/agent-line/api/parse-csv";

const check = (text: string, country = "SE") => directoryRowsOf(parseCsv(text), country);
const HEADER = "number,name,street,postal_code,city,secret\n";

describe("directoryRowsOf", () => {
  it("reads good rows as E.164 entries, empty cells as null, the secret flag in its spellings", () => {
    const result = check(
      `${HEADER}08-123 45 67,Anna Berg,Storgatan 1,111 22,Stockholm,no\n` +
        `+46701234567,Bo Ek,,,,YES\n` +
        `0046 8 765 43 21,"Ek, Cecilia","Gatan 2, 3 tr",113 30,Stockholm,\n`,
    );
    expect(result).toEqual({
      ok: true,
      rows: [
        {
          number: "+4681234567",
          name: "Anna Berg",
          street: "Storgatan 1",
          postalCode: "111 22",
          city: "Stockholm",
          secret: false,
        },
        { number: "+46701234567", name: "Bo Ek", street: null, postalCode: null, city: null, secret: true },
        {
          number: "+4687654321",
          name: "Ek, Cecilia",
          street: "Gatan 2, 3 tr",
          postalCode: "113 30",
          city: "Stockholm",
          secret: false,
        },
      ],
    });
  });

  it("takes the columns in any order and optional ones left out", () => {
    const result = check("name,NUMBER\nDora,08-111 11 11\n");
    expect(result).toMatchObject({
      ok: true,
      rows: [{ number: "+4681111111", name: "Dora", secret: false }],
    });
  });

  it("names every bad row by its line in the file and its column, and yields no rows", () => {
    const result = check(
      `${HEADER}` + // line 1
        "08-123 45 67,Good Row,Storgatan 1,111 22,Stockholm,no\n" + // 2
        "\n" + // 3: blank, skipped but counted
        "not a number,Bad Number,,,,\n" + // 4
        "08-222 22 22,,,,,maybe\n" + // 5: no name, bad flag
        "08-123 45 67,Repeat,,,,\n" + // 6: same number as line 2
        "08-333 33 33,Short\n" + // 7: too few fields
        '08-444 44 44,"Multi\nline",x,y,z,0\n' + // 8-9: fine
        '08-555 55 55,Bad"Quote,,,,\n', // 10
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      "line 4: number",
      "line 5: name",
      "line 5: secret",
      "line 6: number",
      "line 7",
      "line 10",
    ]);
    expect(result.errors[0]?.message).toMatch(/phone number/);
    expect(result.errors[3]?.message).toBe("repeats +4681234567 from line 2");
    expect(result.errors[4]?.message).toBe("has 2 fields; the header has 6");
  });

  it("refuses a header with unknown, repeated or missing columns", () => {
    const result = check("number,namn,number\n08-123 45 67,x,y\n");
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          field: "line 1: namn",
          message: "is not a known column (number, name, street, postal_code, city, secret)",
        },
        { field: "line 1: number", message: "is a repeated column" },
        { field: "line 1: name", message: "column is missing from the header" },
      ],
    });
  });

  it("refuses an empty file, and accepts a header with no rows as nothing to import", () => {
    expect(check("")).toMatchObject({ ok: false, errors: [{ field: "body" }] });
    expect(check(HEADER)).toEqual({ ok: true, rows: [] });
  });

  it("reads national numbers for the country asked for", () => {
    expect(check("number,name\n22 12 34 56,Nora\n", "NO")).toMatchObject({
      ok: true,
      rows: [{ number: "+4722123456" }],
    });
  });
});
