// Changing a line's config a piece at a time: PATCH merges the sent part into the stored config
// (JSON Merge Patch: null removes a key, objects merge, other values replace), then validates the
// whole result; a product change validates the new product's config. Every bad field is named at
// once, top level and config alike, in plain words.
import { describe, expect, it } from "vitest";
import { adviceConfig, api, createLine, expectProblem, json, type LineJson } from "./api-helpers";

const patch = (line: LineJson, body: unknown, headers?: Record<string, string>) =>
  api(`/api/v1/lines/${line.id}`, { method: "PATCH", body, headers });

const adviceLine = () => createLine({ product: "advice", config: adviceConfig });

describe("PATCH /v1/lines/{id} config", () => {
  it("changes one config field and keeps the rest", async () => {
    const line = await adviceLine();
    const updated = await json<LineJson>(await patch(line, { config: { ratePerMinute: 249 } }), 200);
    expect(updated.config).toEqual({ ...line.config, ratePerMinute: 249 });
    expect(await json(await api(`/api/v1/lines/${line.id}`), 200)).toEqual(updated);
  });

  it("merges nested objects, removes keys sent as null, and restores a removed default", async () => {
    const line = await createLine({
      product: "advice",
      config: { ...adviceConfig, termsText: "Our terms.", noRep: { mode: "queue", maxWaitSec: 60 } },
    });
    const updated = await json<LineJson>(
      await patch(line, { config: { noRep: { maxWaitSec: 120 }, termsText: null, ringTimeoutSec: null } }),
      200,
    );
    expect(updated.config.noRep).toEqual({ mode: "queue", maxWaitSec: 120 });
    expect(updated.config).not.toHaveProperty("termsText");
    expect(updated.config.ringTimeoutSec).toBe(20);
  });

  it("switches billing models in one patch", async () => {
    const line = await adviceLine();
    const body = {
      config: {
        billing: "flat_rate",
        flatFee: 2500,
        maxMinutes: 30,
        ratePerMinute: null,
        preauthAmount: null,
      },
    };
    const updated = await json<LineJson>(await patch(line, body), 200);
    expect(updated.config).toMatchObject({ billing: "flat_rate", flatFee: 2500, maxMinutes: 30 });
    expect(updated.config).not.toHaveProperty("ratePerMinute");
  });

  it("validates the merged config, not just the patch", async () => {
    const line = await adviceLine();
    const problem = await expectProblem(await patch(line, { config: { preauthAmount: 1 } }), 422);
    expect(problem.errors).toEqual([
      { field: "config.preauthAmount", message: "must cover at least the first billing block at this rate" },
    ]);
    expect(await json<LineJson>(await api(`/api/v1/lines/${line.id}`), 200)).toEqual(line);
  });

  it("validates the new product's config on a product change", async () => {
    const line = await createLine();
    const missing = await expectProblem(await patch(line, { product: "advice" }), 422);
    expect(missing.errors).toEqual(
      expect.arrayContaining([
        { field: "config.billing", message: "is required: one of per_minute, flat_rate" },
      ]),
    );
    const advice = await json<LineJson>(await patch(line, { product: "advice", config: adviceConfig }), 200);
    expect(advice).toMatchObject({ product: "advice", config: adviceConfig });
  });

  it("accepts the merge-patch media type", async () => {
    const line = await adviceLine();
    const res = await api(`/api/v1/lines/${line.id}`, {
      method: "PATCH",
      headers: { "content-type": "application/merge-patch+json" },
      raw: JSON.stringify({ config: { ratePerMinute: 199 } }),
    });
    expect((await json<LineJson>(res, 200)).config.ratePerMinute).toBe(199);
  });
});

describe("validation errors name every bad field, in plain words", () => {
  const raw = /Invalid input|expected|received|Too (small|big)|Unrecognized/;

  it("on update: top-level and config fields together", async () => {
    const line = await adviceLine();
    const problem = await expectProblem(
      await patch(line, { name: "", voice: 7, config: { ratePerMinute: 2.5, welcomeText: "" } }),
      422,
    );
    expect(problem.errors?.map((e) => e.field).sort()).toEqual([
      "config.ratePerMinute",
      "config.welcomeText",
      "name",
      "voice",
    ]);
    for (const e of problem.errors ?? []) expect(e.message, e.field).not.toMatch(raw);
    const byField = Object.fromEntries((problem.errors ?? []).map((e) => [e.field, e.message]));
    expect(byField).toMatchObject({
      name: "must not be empty",
      voice: "must be text",
      "config.welcomeText": "must not be empty",
    });
    expect(byField["config.ratePerMinute"]).toMatch(/^must be a whole number .*at least 1/);
  });
});
