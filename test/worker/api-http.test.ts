// HTTP manners of the API: a wrong method on a known path is 405 with Allow (after the token
// check, like any /v1 request), a 415 says which content type to send, and every 201 carries a
// Location that leads to what was created.
import { describe, expect, it } from "vitest";
import { api, createLine, expectProblem, json } from "./api-helpers";

describe("405 Method Not Allowed", () => {
  it.each([
    ["PUT", "/api/v1/lines", "GET, HEAD, POST"],
    ["POST", "/api/v1/lines/ln_any", "DELETE, GET, HEAD, PATCH"],
    ["DELETE", "/api/v1/calls/c_any", "GET, HEAD"],
    ["DELETE", "/api/v1/calls.csv", "GET, HEAD"],
    ["GET", "/webhooks/telnyx", "POST"],
    ["PATCH", "/health", "GET, HEAD"],
  ])("%s %s → 405, Allow: %s", async (method, path, allow) => {
    const res = await api(path, { method });
    expect(res.headers.get("allow")).toBe(allow);
    expect((await expectProblem(res, 405)).detail).toContain(method);
  });

  it("still needs a token first under /api/v1, and unknown paths stay 404", async () => {
    await expectProblem(await api("/api/v1/lines", { method: "PUT", token: null }), 401);
    await expectProblem(await api("/api/v1/nothing", { method: "PUT" }), 404);
  });
});

describe("415 Unsupported Media Type", () => {
  it("says to send application/json", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      raw: "{}",
    });
    expect((await expectProblem(res, 415)).detail).toContain("application/json");
  });
});

describe("201 Created", () => {
  it("has a Location for lines, agents and tokens that answers with the created resource", async () => {
    const number = `+1555${Date.now() % 1e10}`.slice(0, 15);
    const created = [
      await api("/api/v1/lines", { method: "POST", body: { number, name: "Loc", product: "demo" } }),
    ];
    const line = await createLine();
    created.push(
      await api(`/api/v1/lines/${line.id}/agents`, {
        method: "POST",
        body: { name: "Ann", destination: "+15551239999" },
      }),
      await api("/api/v1/tokens", { method: "POST", body: { name: "loc", scopes: ["readonly"] } }),
    );
    for (const res of created) {
      const body = await json<{ id: string; token?: string }>(res, 201);
      const location = res.headers.get("location");
      expect(location).toMatch(new RegExp(`^/api/v1/.+/${body.id}$`));
      const { token: _secret, ...shown } = body;
      expect(await json(await api(location!), 200)).toEqual(shown);
    }
  });

  it("is documented with its Location header on every operation that creates", async () => {
    const doc = await json<{
      paths: Record<string, Record<string, { responses: Record<string, { headers?: object }> }>>;
    }>(await api("/api/openapi.json", { token: null }), 200);
    const creating = Object.values(doc.paths).flatMap((ops) =>
      Object.values(ops).filter((op) => "201" in op.responses),
    );
    expect(creating.length).toBeGreaterThanOrEqual(3);
    for (const op of creating) expect(op.responses["201"]?.headers).toHaveProperty("Location");
  });
});
