// Who may call the admin API: missing, malformed, unknown and revoked tokens get 401 with
// WWW-Authenticate; a token without the scope gets 403; an agent token changes only its own
// agent's status. Every documented route against every kind of bad token: security-matrix.test.ts.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { apiTokens } from "../../src/db/schema";
import worker from "../../src/index";
import { ADMIN_TOKEN, api, createLine, createToken, expectProblem, json, testDb } from "./api-helpers";

async function expect401(res: Response): Promise<void> {
  await expectProblem(res, 401);
  expect(res.headers.get("www-authenticate")).toMatch(/^Bearer/);
}

describe("authentication", () => {
  it("rejects a request without a token", async () => {
    await expect401(await api("/api/v1/lines", { token: null }));
  });

  it("rejects a malformed Authorization header", async () => {
    for (const header of ["Basic YWRtaW46cGFzcw==", "Bearer", "Bearer two words", ADMIN_TOKEN]) {
      await expect401(await api("/api/v1/lines", { token: null, headers: { authorization: header } }));
    }
  });

  it("rejects an unknown token", async () => {
    await expect401(await api("/api/v1/lines", { token: "ml_thisTokenWasNeverIssuedToAnyone0" }));
  });

  it("rejects a revoked token that worked before", async () => {
    const { id, token } = await createToken(["readonly"]);
    expect((await api("/api/v1/lines", { token })).status).toBe(200);
    expect((await api(`/api/v1/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    await expect401(await api("/api/v1/lines", { token }));
  });

  it("needs a token even for paths that do not exist", async () => {
    await expect401(await api("/api/v1/no-such-thing", { token: null }));
    await expectProblem(await api("/api/v1/no-such-thing"), 404);
  });

  it("records when a token was last used", async () => {
    const { id, token } = await createToken(["readonly"]);
    expect((await api("/api/v1/calls", { token })).status).toBe(200);
    await expect
      .poll(async () => (await testDb().select().from(apiTokens).where(eq(apiTokens.id, id)))[0]?.lastUsedAt)
      .toBeTypeOf("number");
  });
});

describe("scopes", () => {
  it("lets readonly read but not write", async () => {
    const { token } = await createToken(["readonly"]);
    expect((await api("/api/v1/lines", { token })).status).toBe(200);
    const problem = await expectProblem(
      await api("/api/v1/lines", {
        token,
        method: "POST",
        body: { number: "+15550000001", name: "x", product: "demo" },
      }),
      403,
    );
    expect(problem.detail).toContain("admin");
  });

  it("lets an agent token change its own agent's status and nothing else", async () => {
    const line = await createLine();
    const [anna, bo] = await Promise.all(
      ["Anna", "Bo"].map(async (name, i) =>
        json<{ id: string }>(
          await api(`/api/v1/lines/${line.id}/agents`, {
            method: "POST",
            body: { name, destination: `+1555765432${i}` },
          }),
          201,
        ),
      ),
    );
    const { token } = await json<{ token: string }>(
      await api("/api/v1/tokens", {
        method: "POST",
        body: { name: "Anna's console", scopes: ["agent"], agent_id: anna!.id },
      }),
      201,
    );
    const path = `/api/v1/lines/${line.id}/agents/${anna!.id}`;
    const updated = await json<{ status: string }>(
      await api(path, { token, method: "PATCH", body: { status: "offline" } }),
      200,
    );
    expect(updated.status).toBe("offline");
    // A colleague's status is not hers to change.
    const colleague = `/api/v1/lines/${line.id}/agents/${bo!.id}`;
    await expectProblem(await api(colleague, { token, method: "PATCH", body: { status: "offline" } }), 403);
    expect(await json<{ status: string }>(await api(colleague), 200)).toMatchObject({ status: "available" });
    await expectProblem(await api(path, { token, method: "PATCH", body: { name: "Renamed" } }), 403);
    await expectProblem(await api(path, { token, method: "DELETE" }), 403);
    await expectProblem(await api(`/api/v1/lines/${line.id}`, { token, method: "DELETE" }), 403);
  });
});

describe("switching the bootstrap token off (ADMIN_TOKEN_DISABLED)", () => {
  const get = (path: string, token: string, workerEnv: object) =>
    worker.fetch(
      new Request(`http://meterline.test${path}`, { headers: { authorization: `Bearer ${token}` } }),
      workerEnv,
    );

  it("refuses ADMIN_TOKEN while scoped tokens keep working", async () => {
    const { token } = await createToken(["admin"], "the admins' own token");
    const off = { ...env, ADMIN_TOKEN_DISABLED: "true" };
    await expect401(await get("/api/v1/lines", ADMIN_TOKEN, off));
    expect((await get("/api/v1/lines", token, off)).status).toBe(200);
    expect((await get("/api/v1/lines", ADMIN_TOKEN, env)).status).toBe(200);
  });

  it("lets the Worker run with no ADMIN_TOKEN at all", async () => {
    const { token } = await createToken(["readonly"]);
    const { ADMIN_TOKEN: _removed, ...withoutAdminToken } = env;
    const off = { ...withoutAdminToken, ADMIN_TOKEN_DISABLED: "true" };
    expect((await get("/api/v1/calls", token, off)).status).toBe(200);
    expect((await get("/health", token, off)).status).toBe(200);
  });
});
