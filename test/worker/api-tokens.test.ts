// API tokens: the secret is shown once and works; listings never show it or its hash; a revoked
// token stops working at once and revoking again keeps the first revocation time.
import { describe, expect, it } from "vitest";
import { api, createToken, expectProblem, json } from "./api-helpers";

interface TokenJson {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  token?: string;
}

async function listAll(query = ""): Promise<TokenJson[]> {
  const page = await json<{ data: TokenJson[] }>(await api(`/api/v1/tokens?limit=200${query}`), 200);
  return page.data;
}

describe("api tokens", () => {
  it("shows the secret once, then lists the token by prefix only", async () => {
    const res = await api("/api/v1/tokens", {
      method: "POST",
      body: { name: "billing export", scopes: ["readonly"] },
    });
    const created = await json<TokenJson>(res, 201);
    expect(created.id).toMatch(/^tok_/);
    expect(created.token).toMatch(/^ml_[0-9A-Za-z]{32}$/);
    expect(created.prefix).toBe(created.token?.slice(0, 9));
    expect(created).toMatchObject({ name: "billing export", scopes: ["readonly"], revoked_at: null });

    const listed = (await listAll()).find((t) => t.id === created.id);
    expect(listed).toMatchObject({ name: "billing export", prefix: created.prefix });
    const raw = JSON.stringify(await listAll());
    expect(raw).not.toContain(created.token);
    expect(raw).not.toMatch(/token_?hash/i);
  });

  it("issues tokens that work with their scopes, until revoked", async () => {
    const { id, token } = await createToken(["admin"], "second admin");
    const made = await api("/api/v1/tokens", {
      token,
      method: "POST",
      body: { name: "made by token", scopes: ["readonly"] },
    });
    expect(made.status).toBe(201);

    expect((await api(`/api/v1/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await api("/api/v1/tokens", { token }), 401);
    const revoked = (await listAll("&revoked=true")).find((t) => t.id === id);
    expect(revoked?.revoked_at).toMatch(/Z$/);
    expect((await listAll("&revoked=false")).some((t) => t.id === id)).toBe(false);

    expect((await api(`/api/v1/tokens/${id}`, { method: "DELETE" })).status).toBe(204);
    expect((await listAll()).find((t) => t.id === id)?.revoked_at).toBe(revoked?.revoked_at);
  });

  it("shows one token to admins, without its secret", async () => {
    const { id, token } = await createToken(["agent"], "one of many");
    const shown = await json<TokenJson>(await api(`/api/v1/tokens/${id}`), 200);
    expect(shown).toMatchObject({ id, name: "one of many", scopes: ["agent"], prefix: token.slice(0, 9) });
    expect(JSON.stringify(shown)).not.toContain(token);
    await expectProblem(await api("/api/v1/tokens/tok_nope"), 404);
  });

  it("lets only admin tokens see the token list or a token", async () => {
    const { id } = await createToken(["readonly"]);
    for (const scope of ["readonly", "agent"]) {
      const { token } = await createToken([scope]);
      for (const path of ["/api/v1/tokens", `/api/v1/tokens/${id}`]) {
        expect((await expectProblem(await api(path, { token }), 403)).detail).toContain("admin");
      }
    }
  });

  it("validates the scopes and answers 404 for unknown tokens", async () => {
    const unknown = await api("/api/v1/tokens", { method: "POST", body: { name: "", scopes: ["root"] } });
    expect((await expectProblem(unknown, 422)).errors?.map((e) => e.field)).toEqual(["name", "scopes.0"]);
    const repeated = await api("/api/v1/tokens", {
      method: "POST",
      body: { name: "x", scopes: ["admin", "admin"] },
    });
    expect((await expectProblem(repeated, 422)).errors?.map((e) => e.field)).toEqual(["scopes"]);
    await expectProblem(
      await api("/api/v1/tokens", { method: "POST", body: { name: "x", scopes: [] } }),
      422,
    );
    await expectProblem(await api("/api/v1/tokens/tok_nope", { method: "DELETE" }), 404);
  });
});
