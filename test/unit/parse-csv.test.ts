// Reading CSV files the way spreadsheets and exports write them (RFC 4180), with each record's line
// in the file, so an import can say "line 7" and mean the line a person sees in their editor.
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/products/agent-line/api/parse-csv";

const fieldsOf = (text: string) => parseCsv(text).map((r) => r.fields);

describe("parseCsv", () => {
  it("splits records on LF and CRLF alike, with or without a final line break", () => {
    expect(fieldsOf("a,b\nc,d")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
    expect(fieldsOf("a,b\r\nc,d\r\n")).toEqual([
      ["a", "b"],
      ["c", "d"],
    ]);
  });

  it("keeps empty fields, including a trailing one", () => {
    expect(fieldsOf(",x,\r\n")).toEqual([["", "x", ""]]);
  });

  it("reads quoted fields: commas, doubled quotes and line breaks inside", () => {
    expect(fieldsOf('"Storgatan 1, 2 tr","say ""hej""","two\r\nlines"\n')).toEqual([
      ["Storgatan 1, 2 tr", 'say "hej"', "two\r\nlines"],
    ]);
    expect(fieldsOf('""\n')).toEqual([[""]]);
  });

  it("drops a byte order mark, so the first header is not '\\uFEFFnumber'", () => {
    expect(fieldsOf("\uFEFFnumber,name\n")).toEqual([["number", "name"]]);
  });

  it("skips blank lines (trailing ones included) but counts them in line numbers", () => {
    const records = parseCsv("h1,h2\n\na,b\r\n  \r\nc,d\n\n\n");
    expect(records.map((r) => [r.line, r.fields])).toEqual([
      [1, ["h1", "h2"]],
      [3, ["a", "b"]],
      [5, ["c", "d"]],
    ]);
  });

  it("numbers a record by the line it starts on when a quoted field spans lines", () => {
    const records = parseCsv('h\n"one\ntwo\r\nthree"\nnext\n');
    expect(records.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(records[1]?.fields).toEqual(["one\ntwo\r\nthree"]);
  });

  it("flags a quote inside an unquoted field and reads on at the next line", () => {
    const records = parseCsv('h\nab"c,d\nok\n');
    expect(records[1]?.line).toBe(2);
    expect(records[1]?.error).toMatch(/quote inside/);
    expect(records[2]).toEqual({ line: 3, fields: ["ok"] });
  });

  it("flags text after a closing quote", () => {
    const [record] = parseCsv('"abc"def,x\n');
    expect(record?.error).toMatch(/after a closing quote/);
    expect(record?.fields).toHaveLength(2);
  });

  it("flags a quote never closed as the last record", () => {
    const records = parseCsv('h\na,"open\nb,c\n');
    expect(records).toHaveLength(2);
    expect(records[1]?.line).toBe(2);
    expect(records[1]?.error).toMatch(/never closed/);
  });

  it("reads an empty text as no records", () => {
    expect(parseCsv("")).toEqual([]);
    expect(parseCsv("\uFEFF\r\n")).toEqual([]);
  });
});
