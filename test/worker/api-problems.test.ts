// Every failure is RFC 9457 problem+json: a bad body is a 422 naming each bad field, malformed
// JSON and unknown routes are problems too; and the OpenAPI document covers every route the
// API app registers, so the docs page can never silently miss one.
import { describe, expect, it } from "vitest";
import { createApiApp } from "../../src/api/app";
import { adviceConfig, api, expectProblem, json, uniqueNumber } from "./api-helpers";

describe("problem responses", () => {
  it("names every bad field of a body in one 422", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: { number: "0701234567", name: "", product: "karaoke", voice: 7 },
    });
    const problem = await expectProblem(res, 422);
    const fields = problem.errors?.map((e) => e.field).sort();
    expect(fields).toEqual(["name", "number", "product", "voice"]);
    expect(problem.errors?.find((e) => e.field === "number")?.message).toMatch(/E\.164/);
  });

  it("names the bad fields inside an advice line's config", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: {
        number: uniqueNumber(),
        name: "Advice",
        product: "advice",
        config: { ...adviceConfig, welcomeText: "", currency: "Swedish crowns" },
      },
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(["config.welcomeText", "config.currency"]),
    );
  });

  it("answers a config its product's own checks trip over with 422, not 500", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: {
        number: uniqueNumber(),
        name: "Advice",
        product: "advice",
        config: { ...adviceConfig, ratePerMinute: -5 },
      },
    });
    expect((await expectProblem(res, 422)).errors?.[0]?.field).toMatch(/^config/);
  });

  it("rejects a config on a demo line", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: { number: uniqueNumber(), name: "Demo", product: "demo", config: { welcomeText: "hi" } },
    });
    const problem = await expectProblem(res, 422);
    expect(problem.errors).toEqual([{ field: "config.welcomeText", message: "is not a known field" }]);
  });

  it("names bad query parameters", async () => {
    const problem = await expectProblem(await api("/api/v1/lines?limit=500&active=maybe"), 422);
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(["active", "limit"]);
  });

  it("answers malformed JSON and a wrong content type with problems", async () => {
    const json = { "content-type": "application/json" };
    const broken = await api("/api/v1/tokens", { method: "POST", headers: json, raw: '{"name": "x", ' });
    expect((await expectProblem(broken, 400)).detail).toMatch(/JSON/);
    const text = await api("/api/v1/tokens", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      raw: "x",
    });
    await expectProblem(text, 415);
  });

  it("answers unknown routes outside /api/v1 with a 404 problem", async () => {
    await expectProblem(await api("/api/nothing-here", { token: null }), 404);
  });
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 with the bearer scheme and lists every registered v1 route", async () => {
    const doc = await json<{
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    }>(await api("/api/openapi.json", { token: null }), 200);
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });

    const registered = createApiApp()
      .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
      .map((r) => `${r.method.toLowerCase()} ${r.path.replace(/:([^/]+)/g, "{$1}")}`);
    const documented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m} ${path}`),
    );
    expect(registered.length).toBeGreaterThan(15);
    expect(new Set(documented)).toEqual(new Set(registered));
  });
});
