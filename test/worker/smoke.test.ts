import { exports, env } from "cloudflare:workers";
import { expect, it } from "vitest";
it("health", async () => {
  const res = await exports.default.fetch("http://x/health");
  expect(res.status).toBe(200);
  const stub = env.CALL_SESSION.get(env.CALL_SESSION.idFromName("a"));
  expect(await stub.ping()).toBe("pong");
});
