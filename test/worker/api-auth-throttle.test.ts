// Failed sign-ins are throttled per client: after 10 wrong tokens within a minute, that client's
// requests answer 429 (with Retry-After) before any token is looked up, valid tokens included,
// until the window has slid past; other clients are not affected. Requests without any token are
// refused (401) but not counted. The object keeps nothing once its window is over.
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AUTH_FAILURE_LIMIT, AUTH_FAILURE_WINDOW_MS } from "../../src/api/auth-throttle";
import worker from "../../src/index";
import { ADMIN_TOKEN, api, createToken, expectProblem, randomTestIp } from "./api-helpers";

const WRONG = "ml_thisTokenWasNeverIssuedToAnyone0";
const from = (ip: string, token: string | null) => ({ token, headers: { "cf-connecting-ip": ip } });

const used: string[] = [];
function client(): string {
  const ip = randomTestIp();
  used.push(ip);
  return ip;
}

afterEach(async () => {
  vi.restoreAllMocks();
  // Leave no alarm behind: each client's object is emptied and its clean-up alarm cleared.
  for (const ip of used.splice(0)) {
    await runInDurableObject(env.AUTH_THROTTLE.getByName(ip), async (_object, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
    });
  }
});

async function failTimes(ip: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await expectProblem(await api("/api/v1/lines", from(ip, WRONG)), 401);
}

describe("sign-in throttle", () => {
  it(`answers 429 with Retry-After after ${AUTH_FAILURE_LIMIT} wrong tokens, valid ones included`, async () => {
    const { token } = await createToken(["readonly"], "throttled later");
    const ip = client();
    await failTimes(ip, AUTH_FAILURE_LIMIT);
    for (const attempt of [WRONG, token, ADMIN_TOKEN]) {
      const res = await api("/api/v1/lines", from(ip, attempt));
      const problem = await expectProblem(res, 429);
      expect(problem.detail).toMatch(/try again in \d+ s/);
      const retryAfter = Number(res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(AUTH_FAILURE_WINDOW_MS / 1000);
    }
  });

  it("refuses a throttled client before any database lookup", async () => {
    // With the database unreachable, a token lookup would end in a 500; a 429 means none was tried.
    const deadDb = { ...env, TURSO_DATABASE_URL: "http://127.0.0.1:9" };
    const get = (ip: string) =>
      worker.fetch(
        new Request("http://meterline.test/api/v1/lines", {
          headers: { authorization: `Bearer ${WRONG}`, "cf-connecting-ip": ip },
        }),
        deadDb,
      );
    const ip = client();
    await failTimes(ip, AUTH_FAILURE_LIMIT);
    await expectProblem(await get(ip), 429);
    vi.spyOn(console, "error").mockImplementation(() => undefined); // the expected 500's log line
    await expectProblem(await get(client()), 500);
  });

  it("throttles only the failing client", async () => {
    const { token } = await createToken(["readonly"]);
    const noisy = client();
    const quiet = client();
    await failTimes(noisy, AUTH_FAILURE_LIMIT);
    await expectProblem(await api("/api/v1/lines", from(noisy, token)), 429);
    expect((await api("/api/v1/lines", from(quiet, token))).status).toBe(200);
  });

  it("lets a client that failed fewer times keep signing in", async () => {
    const { token } = await createToken(["readonly"]);
    const ip = client();
    await failTimes(ip, AUTH_FAILURE_LIMIT - 1);
    expect((await api("/api/v1/lines", from(ip, token))).status).toBe(200);
  });

  it("does not count requests that carry no token at all", async () => {
    const { token } = await createToken(["readonly"]);
    const ip = client();
    for (let i = 0; i < AUTH_FAILURE_LIMIT + 5; i++) {
      await expectProblem(await api("/api/v1/lines", from(ip, null)), 401);
    }
    expect((await api("/api/v1/lines", from(ip, token))).status).toBe(200);
  });

  it("slides: a client may try again once its oldest failures are a minute old", async () => {
    const throttle = env.AUTH_THROTTLE.getByName(client());
    const t0 = Date.now();
    for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) await throttle.recordFailure(t0 + i * 1000);
    expect(await throttle.check(t0 + 9_000)).toEqual({ allowed: false, retryAfterSec: 51 });
    expect(await throttle.check(t0 + 59_500)).toEqual({ allowed: false, retryAfterSec: 1 });
    expect(await throttle.check(t0 + AUTH_FAILURE_WINDOW_MS)).toEqual({ allowed: true });
  });

  it("forgets a client once its window is over", async () => {
    const ip = client();
    const throttle = env.AUTH_THROTTLE.getByName(ip);
    await throttle.recordFailure(Date.now() - AUTH_FAILURE_WINDOW_MS - 1);
    expect(await runDurableObjectAlarm(throttle)).toBe(true);
    await runInDurableObject(throttle, async (_object, state) => {
      expect(state.storage.kv.get("failures")).toBeUndefined();
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });
});
