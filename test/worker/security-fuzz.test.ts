/**
 * Fuzzing the admin API through the real Worker (fast-check): bodies for every documented JSON
 * write, query strings and path segments for every documented read, and CSV files for the
 * directory import. Every answer is below 500, and every 4xx is problem JSON. A refused write
 * leaves what it aimed at as it was (the resource, or its parent's list, read back before and
 * after), and a refused CSV file imports none of its rows. The seed is fixed so a failure repeats;
 * METERLINE_FUZZ_SEED explores others, METERLINE_FUZZ_RUNS=10 ten times as many cases.
 */
import fc from "fast-check";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleOrder } from "../../src/products/agent-line/credit-store";
import { parseAgentLineConfig } from "../../src/products/agent-line/config";
import { api, json } from "./api-helpers";
import { agentLineFixture, seedCustomer } from "./support/agent-line";
import { db } from "./support/seed";

const fuzzEnv = env as unknown as { METERLINE_FUZZ_SEED: string; METERLINE_FUZZ_RUNS: string };
const SEED = Number(fuzzEnv.METERLINE_FUZZ_SEED);
/** METERLINE_FUZZ_RUNS multiplies the runs, for a longer exploration than npm test's. */
const SCALE = Math.max(1, Number(fuzzEnv.METERLINE_FUZZ_RUNS) || 1);
const RUNS = { body: 15 * SCALE, query: 15 * SCALE, csv: 40 * SCALE };

type Schema = { $ref?: string; properties?: Record<string, unknown>; oneOf?: Schema[] };
type Operation = {
  parameters?: { in: string; name: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
};
type Doc = {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};

const NASTY = [
  "",
  " ",
  "-1",
  "0",
  "1e309",
  "99999999999999999999999",
  "null",
  "true",
  "2026-13-45T25:61:00Z",
  "' OR 1=1 --",
  "\u0000",
  "../../etc/passwd",
  "💥".repeat(3),
  "a".repeat(5_000),
  '=HYPERLINK("x")',
  "+4681234567",
];
const nastyString = fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: "grapheme", maxLength: 40 }));
const anyValue = fc.oneof(
  nastyString,
  fc.integer(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER, -1, 0, 1.5, 1e21),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 2 }),
);

/** The fixture every {param} resolves to: resources of this file's own, so reads before and after are ours. */
async function fixture(): Promise<Record<string, string>> {
  const fx = await agentLineFixture();
  const customer = await seedCustomer(fx, { creditLimit: 10_000 });
  const { invoiceId } = await settleOrder(
    db(),
    `call_fuzz_${crypto.randomUUID()}`,
    {
      type: "settle_order",
      customerId: customer.id,
      lineId: fx.id,
      talkSeconds: 300,
      billableSeconds: 300,
      articleNr: "100",
      pricePerMinute: 2000,
      extras: 0,
      amount: 10_000,
      vatRateBp: 2500,
      nextCallMinimum: 2485,
    },
    parseAgentLineConfig(fx.config),
    Date.now(),
  );
  const note = await json<{ id: string }>(
    await api(`/api/v1/customers/${customer.id}/notes`, { method: "POST", body: { text: "fuzz fixture" } }),
    201,
  );
  return {
    lineId: fx.id,
    agentId: fx.agents[0]!.id,
    customerId: customer.id,
    number: customer.number,
    noteId: note.id,
    priceListId: fx.priceListId,
    articleId: `${fx.priceListId}:min`,
    invoiceId: invoiceId ?? "inv_missing",
    seq: "1",
  };
}

const fill = (path: string, params: Record<string, string>) =>
  `/api${path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? "missing_id"))}`;

async function expectTidyAnswer(res: Response, what: string): Promise<number> {
  const text = await res.text();
  expect(res.status, `${what} → ${res.status} ${text.slice(0, 300)}`).toBeLessThan(500);
  if (res.status >= 400) {
    expect(res.headers.get("content-type"), `${what}: a problem document`).toBe("application/problem+json");
    expect((JSON.parse(text) as { status?: number }).status).toBe(res.status);
  }
  return res.status;
}

/** Where a refused write would show: the resource itself, or the list / parent it adds to. */
function readBackPath(doc: Doc, path: string): string | null {
  if (!path.includes("{")) return null; // a top-level collection other test files add to as well
  if (doc.paths[path]?.get) return path;
  const parent = path.replace(/\/[^/{}]+$/, "");
  return parent !== path && doc.paths[parent]?.get ? parent : null;
}

/** A valid body per write, so a mutation of one field tests that field's checks past the others'. */
const VALID: Record<string, Record<string, unknown>> = {
  "POST /v1/lines": { number: "+15550009999", name: "Fuzz", product: "demo" },
  "PATCH /v1/lines/{lineId}": { name: "Fuzz line" },
  "POST /v1/lines/{lineId}/agents": { name: "Fuzz", destination: "+15557770000" },
  "PATCH /v1/lines/{lineId}/agents/{agentId}": { status: "offline" },
  "POST /v1/tokens": { name: "fuzz", scopes: ["readonly"] },
  "POST /v1/customers": { name: "Fuzz kund", credit_limit: 1000 },
  "PATCH /v1/customers/{customerId}": { city: "Malmö" },
  "POST /v1/customers/{customerId}/numbers": { number: "+46812340000" },
  "POST /v1/customers/{customerId}/notes": { text: "hej" },
  "POST /v1/blacklist": { number: "+46812349999", category: "behaviour", prompt: "No." },
  "POST /v1/price-lists": { name: "Fuzz" },
  "PATCH /v1/price-lists/{priceListId}": { name: "Fuzz 2" },
  "POST /v1/price-lists/{priceListId}/articles": {
    art_nr: "900",
    description: "x",
    unit_price: 100,
    unit: "call",
  },
  "PATCH /v1/price-lists/{priceListId}/articles/{articleId}": { unit_price: 2000 },
  "PATCH /v1/invoices/{invoiceId}/lines/{seq}": { unit_price: 8000 },
  "POST /v1/invoices/{invoiceId}/payments": { amount: 100 },
  "POST /v1/invoices/{invoiceId}/credit-note": { reason: "fuzz" },
};

function bodyArbitrary(doc: Doc, key: string, op: Operation): fc.Arbitrary<unknown> {
  let schema = op.requestBody?.content?.["application/json"]?.schema ?? {};
  if (schema.$ref) schema = doc.components.schemas[schema.$ref.split("/").at(-1)!] ?? {};
  const names = Object.keys(schema.properties ?? {});
  // Mostly objects with the real field names (so validation is reached field by field), some anything.
  const shaped = names.length
    ? fc.dictionary(fc.constantFrom(...names), anyValue, { minKeys: 1, maxKeys: names.length })
    : fc.dictionary(nastyString, anyValue);
  const base = VALID[key];
  const fields = [...new Set([...names, ...Object.keys(base ?? {})])];
  // One field of a valid body replaced by something odd, or dropped.
  const mutated =
    base && fields.length
      ? fc
          .tuple(fc.constantFrom(...fields), fc.option(anyValue, { nil: undefined }))
          .map(([field, value]) => {
            const body: Record<string, unknown> = { ...base };
            if (value === undefined) delete body[field];
            else body[field] = value;
            return body;
          })
      : shaped;
  return fc.oneof(
    { arbitrary: mutated, weight: 4 },
    { arbitrary: shaped, weight: 2 },
    { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 1 },
  );
}

describe("fuzzed requests", () => {
  it(
    "JSON bodies for every documented write: never 5xx, problem JSON for 4xx, nothing half-written",
    { timeout: 60_000 * SCALE },
    async () => {
      const doc = await json<Doc>(await api("/api/openapi.json", { token: null }), 200);
      const params = await fixture();
      const tally = { ops: 0, requests: 0, refused: 0, accepted: 0 };
      for (const [path, ops] of Object.entries(doc.paths))
        for (const [verb, op] of Object.entries(ops)) {
          if (!op.requestBody?.content?.["application/json"]) continue;
          tally.ops += 1;
          const url = fill(path, params);
          const readBack = readBackPath(doc, path);
          const snapshot = async () => (readBack ? (await api(fill(readBack, params))).text() : "");
          await fc.assert(
            fc.asyncProperty(bodyArbitrary(doc, `${verb.toUpperCase()} ${path}`, op), async (body) => {
              const before = await snapshot();
              const status = await expectTidyAnswer(
                await api(url, { method: verb.toUpperCase(), body }),
                `${verb} ${path} ${JSON.stringify(body).slice(0, 200)}`,
              );
              tally.requests += 1;
              if (status >= 400) {
                tally.refused += 1;
                expect(await snapshot(), `${verb} ${path}: refused, yet changed`).toBe(before);
              } else tally.accepted += 1;
            }),
            { numRuns: RUNS.body, seed: SEED, endOnFailure: true },
          );
        }
      console.log(`fuzz · JSON bodies: ${JSON.stringify(tally)} (seed ${SEED})`);
      expect(tally.ops).toBeGreaterThan(15);
    },
  );

  it(
    "query strings and path segments for every documented read: never 5xx, problem JSON for 4xx",
    { timeout: 60_000 * SCALE },
    async () => {
      const doc = await json<Doc>(await api("/api/openapi.json", { token: null }), 200);
      const params = await fixture();
      let ops = 0;
      for (const [path, byVerb] of Object.entries(doc.paths)) {
        const op = byVerb.get;
        if (!op || path.endsWith("/live/stream")) continue;
        ops += 1;
        const names = (op.parameters ?? []).filter((p) => p.in === "query").map((p) => p.name);
        const pathNames = (op.parameters ?? []).filter((p) => p.in === "path").map((p) => p.name);
        const query = fc.array(
          fc.tuple(names.length ? fc.constantFrom(...names, "unknown") : fc.constant("unknown"), nastyString),
          { maxLength: 5 },
        );
        const segments = fc.array(fc.oneof(fc.constant(null), nastyString), {
          minLength: pathNames.length,
          maxLength: pathNames.length,
        });
        await fc.assert(
          fc.asyncProperty(query, segments, async (pairs, fuzzed) => {
            const own = { ...params };
            pathNames.forEach((name, i) => {
              const value = fuzzed[i];
              if (value !== null && value !== undefined && value !== "") own[name] = value;
            });
            const search = new URLSearchParams(pairs).toString();
            const url = `${fill(path, own)}${search ? `?${search}` : ""}`;
            await expectTidyAnswer(await api(url), `GET ${url.slice(0, 300)}`);
          }),
          { numRuns: RUNS.query, seed: SEED, endOnFailure: true },
        );
      }
      console.log(`fuzz · query strings: ${ops} reads × ${RUNS.query} (seed ${SEED})`);
      expect(ops).toBeGreaterThan(25);
    },
  );

  it(
    "directory CSV files: never 5xx; a refused file imports none of its rows, an accepted one all",
    { timeout: 60_000 * SCALE },
    async () => {
      // Numbers of this run's own: a random block, then the file's index, then the row's digits.
      const block = String(crypto.getRandomValues(new Uint8Array(1))[0]! % 100).padStart(2, "0");
      const goodRow = fc.tuple(
        fc.integer({ min: 0, max: 999 }),
        fc.constantFrom("Anna", '"Berg, Bo"', "Åsa Öberg"),
        fc.boolean(),
      );
      const badLine = fc.oneof(
        nastyString,
        fc.array(nastyString, { maxLength: 8 }).map((f) => f.join(",")),
        fc.constantFrom('"unterminated,quote', "08-123,", ",,,,,,,,,", '+46812345678,"a""b",x,y,z,maybe'),
      );
      const file = fc.record({
        header: fc.oneof(
          { arbitrary: fc.constant("number,name,street,postal_code,city,secret"), weight: 5 },
          { arbitrary: nastyString, weight: 1 },
        ),
        good: fc.uniqueArray(goodRow, { maxLength: 4, selector: ([digits]) => digits }),
        bad: fc.array(badLine, { maxLength: 2 }),
        eol: fc.constantFrom("\n", "\r\n"),
        bom: fc.boolean(),
      });
      const tally = { files: 0, accepted: 0, refused: 0 };
      await fc.assert(
        fc.asyncProperty(file, async ({ header, good, bad, eol, bom }) => {
          // Fresh numbers for each file (fast-check repeats values while shrinking; the database remembers).
          const file = String(tally.files).padStart(3, "0");
          const rows = good.map(([digits, name, national]) => {
            const local = `${block}${file}${String(digits).padStart(3, "0")}`;
            return {
              number: `+468${local}`,
              line: `${national ? `08-${local}` : `+468${local}`},${name},,,,no`,
            };
          });
          const csv = `${bom ? "\uFEFF" : ""}${[header, ...rows.map((r) => r.line), ...bad].join(eol)}`;
          const res = await api("/api/v1/directory/import", {
            method: "POST",
            headers: { "content-type": "text/csv" },
            raw: csv,
          });
          const status = await expectTidyAnswer(res, `CSV ${JSON.stringify(csv).slice(0, 300)}`);
          tally.files += 1;
          if (status >= 400) tally.refused += 1;
          else tally.accepted += 1;
          for (const row of rows) {
            const found = await api(`/api/v1/directory/${encodeURIComponent(row.number)}`);
            await found.body?.cancel();
            expect(found.status, `${row.number} after a ${status}`).toBe(status >= 400 ? 404 : 200);
          }
        }),
        { numRuns: RUNS.csv, seed: SEED, endOnFailure: true },
      );
      console.log(`fuzz · directory CSV: ${JSON.stringify(tally)} (seed ${SEED})`);
      expect(tally.refused).toBeGreaterThan(0);
      expect(tally.accepted).toBeGreaterThan(0);
    },
  );
});
