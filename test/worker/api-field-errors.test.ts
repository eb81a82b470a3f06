// Validation errors on create name every bad field at once, top level and inside config alike,
// unknown keys included, in plain words ("must not be empty", "is not a known field") rather than
// the validator's own text ("Invalid input: expected int, received number").
import { describe, expect, it } from "vitest";
import { adviceConfig, api, createLine, expectProblem } from "./api-helpers";

describe("validation errors on create", () => {
  const raw = /Invalid input|expected|received|Too (small|big)|Unrecognized/;

  it("on create: unknown top-level keys too", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: {
        number: "0701234567",
        name: "Advice",
        product: "advice",
        config: { ...adviceConfig, ratePerMinute: 0, currency: "SEK" },
        colour: "blue",
      },
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual([
      "colour",
      "config.currency",
      "config.ratePerMinute",
      "number",
    ]);
    for (const e of problem.errors ?? []) expect(e.message, e.field).not.toMatch(raw);
    expect(problem.errors?.find((e) => e.field === "colour")?.message).toBe("is not a known field");
  });

  it("on create of agents and tokens: unknown keys are refused as well", async () => {
    const line = await createLine();
    const agent = await api(`/api/v1/lines/${line.id}/agents`, {
      method: "POST",
      body: { name: "A", destination: "+15551230009", skill: "tarot" },
    });
    expect((await expectProblem(agent, 422)).errors).toEqual([
      { field: "skill", message: "is not a known field" },
    ]);
    const token = await api("/api/v1/tokens", {
      method: "POST",
      body: { name: "t", scopes: ["admin"], ttl: 5 },
    });
    expect((await expectProblem(token, 422)).errors).toEqual([
      { field: "ttl", message: "is not a known field" },
    ]);
  });
});
