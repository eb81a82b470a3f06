// The embedded address directory, imported by CSV as an admin would send it: quoted fields, CRLF,
// a byte order mark, blank lines at the end. A file with any bad row is refused whole, naming each
// bad row by its line in the file, and leaves the directory as it was.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN_TOKEN, api, expectProblem, json, TEST_CLIENT_IP } from "./api-helpers";
import { stockholmNumber, uniqueName } from "./support/register";

const HEADER = "number,name,street,postal_code,city,secret";

const importCsv = (csv: string, headers: Record<string, string> = { "content-type": "text/csv" }) =>
  api("/api/v1/directory/import", { method: "POST", headers, raw: csv });

const lookup = (number: string) => api(`/api/v1/directory/${encodeURIComponent(number)}`);

interface EntryJson {
  number: string;
  name: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  secret: boolean;
  billable: boolean;
  billability: string;
}

describe("directory import", () => {
  it("imports a good file and answers lookups in any number format, with billable", async () => {
    const [a, b, c] = [stockholmNumber(), stockholmNumber(), stockholmNumber()];
    const name = uniqueName("Berg, Anna");
    const csv =
      `\uFEFF${HEADER}\r\n` +
      `${a.national},"${name}","Storgatan 1, 2 tr",111 22,Stockholm,no\r\n` +
      `${b.e164},Hemlig Person,Gatan 2,113 30,Stockholm,YES\r\n` +
      `"${c.national}",Utan Adress,,,,\r\n` +
      "\r\n\r\n";
    expect(await json(await importCsv(csv), 200)).toEqual({ imported: 3 });

    expect(await json<EntryJson>(await lookup(a.national), 200)).toMatchObject({
      number: a.e164,
      name,
      street: "Storgatan 1, 2 tr",
      postal_code: "111 22",
      city: "Stockholm",
      secret: false,
      billable: true,
      billability: "billable",
    });
    expect(await json<EntryJson>(await lookup(b.e164), 200)).toMatchObject({
      secret: true,
      billable: false,
      billability: "secret",
    });
    expect(await json<EntryJson>(await lookup(c.e164), 200)).toMatchObject({
      street: null,
      billable: false,
      billability: "incomplete",
    });
    await expectProblem(await lookup(stockholmNumber().e164), 404);
  });

  it("replaces an entry by its number on a later import", async () => {
    const n = stockholmNumber();
    await json(await importCsv(`${HEADER}\n${n.e164},Old Name,Väg 1,111 11,Stockholm,no\n`), 200);
    await json(await importCsv(`${HEADER}\n${n.national},New Name,,,,1\n`), 200);
    expect(await json<EntryJson>(await lookup(n.e164), 200)).toMatchObject({
      name: "New Name",
      street: null,
      secret: true,
    });
  });

  it("refuses a file with bad rows, naming every one by its line, and imports none of it", async () => {
    const [good, good2, dup] = [stockholmNumber(), stockholmNumber(), stockholmNumber()];
    const csv = [
      HEADER, // 1
      `${good.national},Good Row,Storgatan 1,111 22,Stockholm,no`, // 2
      `not-a-number,Bad Number,,,,`, // 3
      `${dup.e164},"Spans`, // 4
      `two lines",,,,no`, // 5
      `${stockholmNumber().e164},,,,,`, // 6: no name
      `${good2.e164},Also Good,,,,`, // 7
      `${stockholmNumber().e164},Bad Flag,,,,perhaps`, // 8
      `${dup.national},Repeat,,,,`, // 9
      `${stockholmNumber().e164},Too,Few`, // 10
      "",
    ].join("\n");
    const problem = await expectProblem(await importCsv(csv), 422);
    expect(problem.errors?.map((e) => e.field)).toEqual([
      "line 3: number",
      "line 6: name",
      "line 8: secret",
      "line 9: number",
      "line 10",
    ]);
    expect(problem.errors?.[3]?.message).toBe(`repeats ${dup.e164} from line 4`);
    for (const number of [good.e164, good2.e164, dup.e164]) await expectProblem(await lookup(number), 404);
  });

  it("refuses a file that is not CSV, not UTF-8, or too large", async () => {
    const n = stockholmNumber();
    const asJson = await importCsv(JSON.stringify({ rows: [] }), { "content-type": "application/json" });
    expect((await expectProblem(asJson, 415)).detail).toMatch(/text\/csv/);
    const latin1 = await importCsv(`${HEADER}\n${n.e164},Åsa,,,,\n`, {
      "content-type": "text/csv; charset=iso-8859-1",
    });
    await expectProblem(latin1, 415);
    const huge = `${HEADER}\n${`${n.e164},${"x".repeat(100)},,,,\n`.repeat(60_000)}`;
    expect((await expectProblem(await importCsv(huge), 413)).detail).toMatch(/5 MB/);
    await expectProblem(await lookup(n.e164), 404);
  });

  it("imports a file of many rows in one go", async () => {
    const numbers = Array.from({ length: 450 }, () => stockholmNumber());
    const csv = `${HEADER}\n${numbers.map((n, i) => `${n.national},Row ${i},Gatan ${i},111 22,Stockholm,`).join("\n")}\n`;
    expect(await json(await importCsv(csv), 200)).toEqual({ imported: 450 });
    expect(await json<EntryJson>(await lookup(numbers[0]!.e164), 200)).toMatchObject({ name: "Row 0" });
    expect(await json<EntryJson>(await lookup(numbers[449]!.e164), 200)).toMatchObject({ name: "Row 449" });
  });

  it("refuses bytes that are not UTF-8 (a Windows-1252 export), naming the body", async () => {
    const n = stockholmNumber();
    const text = new TextEncoder().encode(`${HEADER}\n${n.e164},?sa Berg,,,,\n`);
    text[HEADER.length + 1 + n.e164.length + 1] = 0xc5; // "Å" in Windows-1252, not UTF-8
    const res = await exports.default.fetch("http://meterline.test/api/v1/directory/import", {
      method: "POST",
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        "cf-connecting-ip": TEST_CLIENT_IP,
        "content-type": "text/csv",
      },
      body: text,
    });
    expect((await expectProblem(res, 422)).errors).toEqual([
      { field: "body", message: "is not UTF-8 text: save the file as CSV UTF-8" },
    ]);
    await expectProblem(await lookup(n.e164), 404);
  });

  it("lists the first 1000 bad fields of a file that is all bad, and says how many there are", async () => {
    const csv = `${HEADER}\n${"not a number,,,,,\n".repeat(600)}`;
    const problem = await expectProblem(await importCsv(csv), 422);
    expect(problem.errors).toHaveLength(1000);
    expect(problem.errors?.[999]?.field).toBe("line 501: name");
    expect(problem.detail).toBe("Nothing was imported. 1200 fields are bad; the first 1000 are listed.");
  });

  it("refuses a file with a bad header or no header at all", async () => {
    const bad = await importCsv("nummer,name\n08-123 45 67,X\n");
    expect((await expectProblem(bad, 422)).errors?.map((e) => e.field)).toEqual([
      "line 1: nummer",
      "line 1: number",
    ]);
    expect((await expectProblem(await importCsv(""), 422)).errors?.map((e) => e.field)).toEqual(["body"]);
  });
});
