// Lines through the admin API: create (with per-product config), duplicate numbers, read, partial
// update with config re-validation, deactivate, and the shared paging and filter convention.
import { describe, expect, it } from "vitest";
import {
  adviceConfig,
  api,
  createLine,
  expectProblem,
  json,
  uniqueNumber,
  type LineJson,
} from "./api-helpers";

interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

describe("lines", () => {
  it("creates an advice line, stores its parsed config and reads it back", async () => {
    const number = uniqueNumber();
    const line = await createLine({
      number,
      name: "Tarot",
      product: "advice",
      voice: "male",
      config: adviceConfig,
    });
    expect(line).toMatchObject({ number, name: "Tarot", product: "advice", voice: "male", active: true });
    expect(line.id).toMatch(/^ln_[0-9A-Za-z]{20}$/);
    expect(line.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    // Defaults from the advice schema are written at the edge.
    expect(line.config).toMatchObject({ ...adviceConfig, ringTimeoutSec: 20 });
    expect(await json(await api(`/api/v1/lines/${line.id}`), 200)).toEqual(line);
  });

  it("refuses a second line on the same number with 409", async () => {
    const line = await createLine();
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: { number: line.number, name: "Copy", product: "demo" },
    });
    expect((await expectProblem(res, 409)).detail).toContain(line.number);
  });

  it("updates only what is sent and re-validates the config", async () => {
    const line = await createLine({ product: "advice", config: adviceConfig });
    const path = `/api/v1/lines/${line.id}`;
    const renamed = await json<LineJson>(
      await api(path, { method: "PATCH", body: { name: "Renamed" } }),
      200,
    );
    expect(renamed).toMatchObject({ name: "Renamed", number: line.number, config: line.config });

    const bad = await api(path, { method: "PATCH", body: { config: { ...adviceConfig, preauthAmount: 1 } } });
    expect((await expectProblem(bad, 422)).errors?.map((e) => e.field)).toEqual(["config.preauthAmount"]);
    const toDemo = await api(path, { method: "PATCH", body: { product: "demo" } });
    expect(await json<LineJson>(toDemo, 200)).toMatchObject({ product: "demo", config: {} });

    const taken = (await createLine()).number;
    await expectProblem(await api(path, { method: "PATCH", body: { number: taken } }), 409);
    await expectProblem(await api(path, { method: "PATCH", body: { colour: "blue" } }), 422);
  });

  it("deactivates on DELETE and keeps the line readable", async () => {
    const line = await createLine();
    const res = await api(`/api/v1/lines/${line.id}`, { method: "DELETE" });
    expect(res.status).toBe(204);
    expect(await json(await api(`/api/v1/lines/${line.id}`), 200)).toMatchObject({
      id: line.id,
      active: false,
    });
  });

  it("answers 404 problems for unknown lines", async () => {
    await expectProblem(await api("/api/v1/lines/ln_doesNotExist"), 404);
    await expectProblem(
      await api("/api/v1/lines/ln_doesNotExist", { method: "PATCH", body: { name: "x" } }),
      404,
    );
    await expectProblem(await api("/api/v1/lines/ln_doesNotExist", { method: "DELETE" }), 404);
  });

  it("pages newest first with an opaque cursor, without gaps or repeats", async () => {
    const created: LineJson[] = [];
    for (let i = 0; i < 5; i++) created.push(await createLine());
    const seen: LineJson[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/lines?product=demo&limit=2${cursor ? `&cursor=${cursor}` : ""}`;
      const page: Page<LineJson> = await json<Page<LineJson>>(await api(query), 200);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data);
      cursor = page.next_cursor;
    } while (cursor && seen.length < 10_000);
    const ids = seen.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(created.map((l) => l.id)));
    const times = seen.map((l) => l.created_at);
    expect(times).toEqual([...times].sort().reverse());
    await expectProblem(await api("/api/v1/lines?cursor=not-a-cursor"), 422);
  });

  it("filters by number, product and active", async () => {
    const advice = await createLine({ product: "advice", config: adviceConfig });
    const byNumber = await json<Page<LineJson>>(
      await api(`/api/v1/lines?number=${encodeURIComponent(advice.number)}`),
      200,
    );
    expect(byNumber.data.map((l) => l.id)).toEqual([advice.id]);
    expect(byNumber.next_cursor).toBeNull();

    const demos = await json<Page<LineJson>>(await api("/api/v1/lines?product=demo&limit=200"), 200);
    expect(demos.data.every((l) => l.product === "demo")).toBe(true);

    await api(`/api/v1/lines/${advice.id}`, { method: "DELETE" });
    const inactive = await json<Page<LineJson>>(
      await api("/api/v1/lines?active=false&product=advice&limit=200"),
      200,
    );
    expect(inactive.data.map((l) => l.id)).toContain(advice.id);
    expect(inactive.data.every((l) => !l.active)).toBe(true);
    const active = await json<Page<LineJson>>(
      await api(`/api/v1/lines?active=true&number=${encodeURIComponent(advice.number)}`),
      200,
    );
    expect(active.data).toEqual([]);
  });
});
