// /health: 200 when Turso answers `select 1`; a clear 503 problem (and no connection details)
// when it does not, here a Worker env whose database URL points at a closed port.
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";

describe("/health", () => {
  it("reports ok when the database answers", async () => {
    const res = await exports.default.fetch("http://meterline.test/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok", database: "ok" });
  });

  it("answers 503 problem JSON when the database is unreachable", async () => {
    const deadDb = {
      ...env,
      TURSO_DATABASE_URL: "http://127.0.0.1:9",
      TURSO_AUTH_TOKEN: "secret-turso-token",
    };
    const res = await worker.fetch(new Request("http://meterline.test/health"), deadDb);
    expect(res.status).toBe(503);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ status: 503, detail: "The database is unreachable." });
    expect(text).not.toContain("127.0.0.1");
    expect(text).not.toContain("secret-turso-token");
  });
});
