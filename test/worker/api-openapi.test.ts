/**
 * The OpenAPI document describes what products bring: each line product's config is a real
 * schema (LineCreate's config is one of them), and the engine's live-call routes are listed.
 */
import { describe, expect, it } from "vitest";
import { api, json } from "./api-helpers";

type Doc = {
  paths: Record<string, Record<string, unknown>>;
  components: {
    schemas: Record<
      string,
      { oneOf?: { $ref: string }[]; properties?: Record<string, unknown>; required?: string[] }
    >;
  };
};

describe("the OpenAPI document", () => {
  it("describes each product's line config as a schema of its own, one of which LineCreate's config is", async () => {
    const doc = await json<Doc>(await api("/api/openapi.json", { token: null }), 200);
    const schemas = doc.components.schemas;
    const config = (schemas.LineCreate?.properties?.config ?? {}) as { oneOf?: { $ref: string }[] };
    expect(config.oneOf?.map((r) => r.$ref)).toEqual(
      expect.arrayContaining(["#/components/schemas/AdviceConfig", "#/components/schemas/DemoConfig"]),
    );
    const advice = JSON.stringify(schemas.AdviceConfig);
    for (const field of ["ratePerMinute", "preauthAmount", "flatFee", "maxMinutes", "welcomeText", "noRep"])
      expect(advice).toContain(`"${field}"`);
  });

  it("lists the live-call and dead-letter routes with their scopes", async () => {
    const doc = await json<Doc>(await api("/api/openapi.json", { token: null }), 200);
    for (const path of [
      "/v1/calls/{callId}/live",
      "/v1/calls/{callId}/live/stream",
      "/v1/calls/{callId}/end",
      "/v1/dead-letters",
    ])
      expect(Object.keys(doc.paths)).toContain(path);
    expect(JSON.stringify(doc.paths["/v1/calls/{callId}/end"])).toContain("idempotency-key");
  });
});
