/**
 * The calling-card admin API through the real Worker: plans (on-demand refused), PIN batches (every
 * required field named when missing), generation as a background job with progress, CSV upload
 * errors by line (all or nothing, 100 000 rows with one bad row change nothing), viewing and
 * exporting PINs, rate deck imports with errors by line, manual credits and debits.
 */
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { api, expectProblem, json } from "./api-helpers";
import { insertStatements, sealPins } from "../../src/products/calling-card/db/pin-store";
import { pinKeys } from "../../src/products/calling-card/pins/pin-crypto";
import { seedDeck, testPins } from "./support/card-seed";
import { db } from "./support/seed";

const uid = () => crypto.randomUUID().slice(0, 8);

async function createPlan(overrides: Record<string, unknown> = {}) {
  const deck = await seedDeck([{ prefix: "44", destination: "United Kingdom", sell: 60_000, buy: 20_000 }]);
  const res = await api("/api/v1/card-plans", {
    method: "POST",
    body: {
      name: `Plan ${uid()}`,
      currency: "usd",
      billing_period: { unit: "month", count: 12 },
      rate_deck: deck,
      packages: [{ name: "UK minutes", prefixes: ["44"], free_minutes: 30 }],
      charges: [{ kind: "recurring", name: "Maintenance", amount: 50 }],
      ...overrides,
    },
  });
  return json<{ id: string; packages: unknown[] }>(res, 201);
}

const batchBody = (extra: Record<string, unknown> = {}) => ({
  name: `Batch ${uid()}`,
  currency: "usd",
  face_value: 1000,
  pin_count: 3,
  effective_date: "2026-01-01",
  expiration_date: "2030-12-31",
  expiration_days_after_activation: 90,
  ...extra,
});

async function createBatch(extra: Record<string, unknown> = {}) {
  return json<{ id: string; status: string }>(
    await api("/api/v1/pin-batches", { method: "POST", body: batchBody(extra) }),
    201,
  );
}

const upload = (batchId: string, csv: string) =>
  api(`/api/v1/pin-batches/${batchId}/upload`, {
    method: "POST",
    raw: csv,
    headers: { "content-type": "text/csv" },
  });

describe("plans", () => {
  it("creates a subscription plan with packages and charges; refuses an on-demand plan", async () => {
    const res = await api("/api/v1/card-plans", {
      method: "POST",
      body: {
        name: "x",
        currency: "usd",
        billing_period: { unit: "year", count: 1 },
        rate_deck: "d",
        type: "on_demand",
      },
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors?.map((e) => e.field)).toEqual(["type"]);
    expect(problem.errors?.[0]?.message).toContain("never for calling cards");
    const plan = await createPlan();
    expect(plan.packages).toHaveLength(1);
    const again = await api(`/api/v1/card-plans/${plan.id}`);
    expect(await json(again, 200)).toMatchObject({
      id: plan.id,
      billing_period: { unit: "month", count: 12 },
    });
  });
});

describe("PIN batches", () => {
  it("names every required field that is missing, and the tax jurisdiction when taxable", async () => {
    const res = await api("/api/v1/pin-batches", { method: "POST", body: { taxable: true } });
    const problem = await expectProblem(res, 422);
    const fields = problem.errors!.map((e) => e.field).sort();
    expect(fields).toEqual(
      expect.arrayContaining([
        "currency",
        "effective_date",
        "expiration_date",
        "expiration_days_after_activation",
        "face_value",
        "name",
        "pin_count",
      ]),
    );
    const taxless = await api("/api/v1/pin-batches", { method: "POST", body: batchBody({ taxable: true }) });
    expect((await expectProblem(taxless, 422)).errors).toEqual([
      { field: "tax_jurisdiction", message: "is required when taxable is true" },
    ]);
  });

  it("refuses a plan in another currency; assigns a plan and blocks with PATCH", async () => {
    const plan = await createPlan();
    const eur = await api("/api/v1/pin-batches", {
      method: "POST",
      body: batchBody({ currency: "eur", plan_id: plan.id }),
    });
    expect((await expectProblem(eur, 422)).errors?.[0]?.field).toBe("plan_id");
    const batch = await createBatch();
    const patched = await api(`/api/v1/pin-batches/${batch.id}`, {
      method: "PATCH",
      body: { plan_id: plan.id, blocked: true },
    });
    expect(await json(patched, 200)).toMatchObject({ plan_id: plan.id, blocked: true });
  });

  it("a PIN id that is no row number names no PIN: 404 problem, never a 500 from the query", async () => {
    // Found by the security fuzz: "abc" reached libSQL as NaN and the route answered 500.
    for (const id of ["abc", "1e3", "0", "99999999999999999999"]) {
      await expectProblem(await api(`/api/v1/pins/${id}`, { method: "PATCH", body: { blocked: true } }), 404);
      await expectProblem(
        await api(`/api/v1/pins/${id}/caller-ids`, { method: "POST", body: { number: "+46812345678" } }),
        404,
      );
      await expectProblem(await api(`/api/v1/pins/${id}/caller-ids/%2B46812345678`), 404);
    }
  });

  it("generates PINs as a background job with progress, resumable after a restart, then lists and exports them", async () => {
    const plan = await createPlan();
    const batch = await createBatch({
      pin_count: 22_500,
      plan_id: plan.id,
      taxable: true,
      tax_jurisdiction: { name: "NY", rate_percent: "8.875" },
    });
    // Position 7 already holds a PIN, as after a run that wrote part of a chunk and then restarted.
    const keys = await pinKeys(env.PIN_HMAC_KEY, env.PIN_ENCRYPTION_KEY);
    await db().$client.batch(
      insertStatements(batch.id, await sealPins(keys, [{ seq: 7, pin: testPins(1)[0]! }])),
      "write",
    );
    const started = await json<{ status: string; job: { done: number; total: number } }>(
      await api(`/api/v1/pin-batches/${batch.id}/generate`, { method: "POST" }),
      202,
    );
    expect(started).toMatchObject({ status: "generating", job: { done: 0, total: 22_500 } });
    const job = () => env.PIN_BATCH_JOB.getByName(batch.id);
    await runDurableObjectAlarm(job());
    const midway = await json<{ status: string; job: { done: number; rate_per_sec: number } }>(
      await api(`/api/v1/pin-batches/${batch.id}`),
      200,
    );
    // One alarm wrote two chunks; workerd may already have run the next alarm on its own (it is
    // due at once), so the batch is at 20 000 or done.
    expect([20_000, 22_500]).toContain(midway.job.done);
    expect(midway.status).toBe(midway.job.done === 22_500 ? "ready" : "generating");
    // A restart between chunks (the object's memory gone, its storage and alarm kept) resumes.
    await abortAllDurableObjects();
    // Each alarm fills its chunks and sets the next (workerd may also run a due alarm on its own).
    await vi.waitFor(
      async () => {
        await runDurableObjectAlarm(job());
        if ((await job().progress())?.status !== "done") throw new Error("still generating");
      },
      { timeout: 20_000, interval: 20 },
    );
    const finished = await json<{
      status: string;
      tax_jurisdiction: unknown;
      job: { done: number; eta_sec: number };
    }>(await api(`/api/v1/pin-batches/${batch.id}`), 200);
    expect(finished).toMatchObject({
      status: "ready",
      tax_jurisdiction: { name: "NY", rate_ppm: 88_750 },
      job: { done: 22_500, eta_sec: 0 },
    });
    const page = await json<{ data: { number: string; status: string; seq: number }[]; next_cursor: string }>(
      await api(`/api/v1/pin-batches/${batch.id}/pins?limit=100&status=inactive`),
      200,
    );
    expect(page.data).toHaveLength(100);
    expect(page.data.every((p) => /^\d{12}$/.test(p.number) && p.status === "inactive")).toBe(true);
    const next = await json<{ data: { seq: number }[] }>(
      await api(`/api/v1/pin-batches/${batch.id}/pins?limit=100&cursor=${page.next_cursor}`),
      200,
    );
    expect(next.data[0]!.seq).toBe(101);
    const csv = await (await api(`/api/v1/pin-batches/${batch.id}/pins.csv`)).text();
    const lines = csv.trimEnd().split("\r\n");
    expect(lines[0]).toBe(
      "number,status,value_minor,value,currency,effective_date,expiration_date,activation_date,expiration_days_after_activation",
    );
    expect(lines).toHaveLength(22_501);
    expect(new Set(lines.slice(1).map((l) => l.split(",")[0])).size).toBe(22_500);
    expect(lines[1]).toMatch(
      /^\d{12},inactive,1000,10\.00,usd,2026-01-01T00:00:00\.000Z,2030-12-31T00:00:00\.000Z,,90$/,
    );
    // Stored as hashes and ciphertexts only: the first page's PINs appear nowhere in their rows.
    const stored = await db().$client.execute({
      sql: "SELECT * FROM cc_pins WHERE batch_id = ? AND seq <= 100",
      args: [batch.id],
    });
    const text = JSON.stringify(stored.rows);
    expect(stored.rows).toHaveLength(100);
    expect(page.data.filter((p) => text.includes(p.number))).toEqual([]);
    const readonly = await api(`/api/v1/pin-batches/${batch.id}/pins`, { token: null });
    await expectProblem(readonly, 401);
  });
});

describe("uploading PINs from CSV", () => {
  it("names every bad line: wrong PINs, repeats within the file, PINs that already exist", async () => {
    const existing = await createBatch({ pin_count: 2 });
    const [a, b] = testPins(2);
    expect(await json(await upload(existing.id, `pin\n${a}\n${b}\n`), 200)).toMatchObject({ uploaded: 2 });
    const batch = await createBatch({ pin_count: 5 });
    const [c1, c2] = testPins(2);
    const res = await upload(batch.id, `pin\n${c1}\n12345\n${c1}\n"${c2}\n${a}\n`);
    const problem = await expectProblem(res, 422);
    expect(problem.errors).toEqual([
      { field: "line 5", message: "is not a CSV row (check its quotes)" },
      { field: "line 3", message: "the PIN must be 10 to 16 digits" },
      { field: "line 4", message: "repeats the PIN on line 2" },
    ]);
    const dup = await upload(batch.id, `${c1}\n${c2}\n${a}\n${testPins(1)[0]}\n${testPins(1)[0]}\n`);
    expect((await expectProblem(dup, 422)).errors).toEqual([
      { field: "line 3", message: "this PIN already exists" },
    ]);
    const count = await db().$client.execute({
      sql: "SELECT count(*) AS n FROM cc_pins WHERE batch_id = ?",
      args: [batch.id],
    });
    expect(Number(count.rows[0]!.n)).toBe(0);
  });

  it("100 000 rows with one bad row change nothing", async () => {
    const batch = await createBatch({ pin_count: 100_000 });
    const pins = testPins(100_000);
    pins[77_776] = "12345678x012";
    const res = await upload(batch.id, `${pins.join("\n")}\n`);
    const problem = await expectProblem(res, 422);
    expect(problem.errors).toContainEqual({
      field: "line 77777",
      message: "the PIN must be 10 to 16 digits",
    });
    const count = await db().$client.execute({
      sql: "SELECT count(*) AS n FROM cc_pins WHERE batch_id = ?",
      args: [batch.id],
    });
    expect(Number(count.rows[0]!.n)).toBe(0);
    expect(await json(await api(`/api/v1/pin-batches/${batch.id}`), 200)).toMatchObject({ status: "empty" });
  });
});

describe("rate decks", () => {
  const header =
    "prefix,destination,sell_rate,buy_rate,first_block,increment,connect_fee,valid_from,valid_to";
  it("names every bad line and imports nothing; a good file becomes the deck's version", async () => {
    const deck = `deck-${uid()}`;
    const bad = [
      header,
      "44,UK,0.06,0.02,60,60,,,",
      "4x,Bad prefix,0.06,0.02,60,60,,,",
      "33,France,six,0.02,60,0,,,",
      "44,UK again,0.05,0.02,60,60,,,",
    ].join("\n");
    const res = await api(`/api/v1/rate-decks/${deck}/versions?currency=usd`, {
      method: "POST",
      raw: bad,
      headers: { "content-type": "text/csv" },
    });
    expect((await expectProblem(res, 422)).errors).toEqual([
      { field: "line 3", message: "prefix must be 1 to 15 digits" },
      {
        field: "line 4",
        message:
          "sell_rate must be a decimal amount like 0.0150; increment must be whole seconds from 1 to 3600",
      },
      { field: "line 5", message: "repeats prefix 44 of line 2" },
    ]);
    const good = [
      header,
      "44,United Kingdom,0.0600,0.0200,60,60,0.05,,",
      "447,United Kingdom mobile,0.15,0.09,30,6,,,",
    ].join("\r\n");
    const created = await api(`/api/v1/rate-decks/${deck}/versions?currency=usd&valid_from=2026-01-01`, {
      method: "POST",
      raw: good,
      headers: { "content-type": "text/csv" },
    });
    expect(await json(created, 201)).toMatchObject({ deck, status: "ready", rows: 2 });
    const rate = await json(await api(`/api/v1/rate-decks/${deck}/rate?number=%2B447700900123`), 200);
    expect(rate).toMatchObject({ prefix: "447", sell_rate: "0.150000", first_block: 30, increment: 6 });
    const uk = await json(await api(`/api/v1/rate-decks/${deck}/rate?number=%2B442079460000`), 200);
    expect(uk).toMatchObject({ prefix: "44", connect_fee: "0.050000" });
  });
});

describe("card accounts", () => {
  it("credits and debits by hand with a reason; a debit beyond what is available is refused", async () => {
    const client = db().$client;
    const id = `ac_t${uid()}`;
    await client.execute({
      sql: "INSERT INTO cc_accounts (id, pin_id, batch_id, currency, balance, reserved, holds, activated_at, expires_at, updated_at) VALUES (?, ?, 'pb_x', 'usd', 300, 100, 1, 0, 9999999999999, 0)",
      args: [id, Math.floor(Math.random() * 1e9)],
    });
    const credit = await api(`/api/v1/card-accounts/${id}/adjustments`, {
      method: "POST",
      body: { kind: "credit", amount: 500, reason: "goodwill" },
      headers: { "idempotency-key": `k-${id}` },
    });
    const entry = await json<{ amount: number; balance_after: number }>(credit, 201);
    expect(entry).toMatchObject({
      amount: 500,
      balance_after: 800,
      reason: "manual_credit",
      note: "goodwill",
    });
    const repeat = await api(`/api/v1/card-accounts/${id}/adjustments`, {
      method: "POST",
      body: { kind: "credit", amount: 500, reason: "goodwill" },
      headers: { "idempotency-key": `k-${id}` },
    });
    expect(await json(repeat, 201)).toMatchObject({ balance_after: 800 });
    const tooMuch = await api(`/api/v1/card-accounts/${id}/adjustments`, {
      method: "POST",
      body: { kind: "debit", amount: 701, reason: "test" },
    });
    await expectProblem(tooMuch, 409);
    expect(await json(await api(`/api/v1/card-accounts/${id}`), 200)).toMatchObject({
      balance: 800,
      reserved: 100,
      available: 700,
    });
    const ledger = await json<{ data: unknown[] }>(await api(`/api/v1/card-accounts/${id}/ledger`), 200);
    expect(ledger.data).toHaveLength(1);
  });
});
