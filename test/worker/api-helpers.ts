/**
 * Helpers for the admin API tests: requests through the real Worker (exports.default.fetch), the
 * bootstrap admin token from the test bindings, unique phone numbers (tests share one database),
 * problem+json assertions, and direct row inserts for what only the call engine writes.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { createDb, type Db } from "../../src/db/client";
import { seedLine } from "./support/seed";

/** The bootstrap token, pinned in vitest.config.ts. */
export const ADMIN_TOKEN = env.ADMIN_TOKEN;

export interface ApiInit {
  method?: string;
  /** null sends no Authorization header. */
  token?: string | null;
  body?: unknown;
  /** Sent as is (for malformed bodies); the caller sets content-type. */
  raw?: string;
  headers?: Record<string, string>;
}

/**
 * Each test file is one client of its own for the sign-in throttle (AuthThrottle), so wrong tokens
 * sent by one file's tests never throttle another's; throttle tests pass their own cf-connecting-ip.
 */
export const TEST_CLIENT_IP = randomTestIp();

/** An address in 198.18.0.0/15, the range reserved for benchmark tests (RFC 2544). */
export function randomTestIp(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint8Array(2));
  return `198.${18 + (a % 2)}.${b}.${1 + (a % 254)}`;
}

export function api(path: string, init: ApiInit = {}): Promise<Response> {
  const headers: Record<string, string> = { "cf-connecting-ip": TEST_CLIENT_IP, ...init.headers };
  const token = init.token === undefined ? ADMIN_TOKEN : init.token;
  if (token !== null) headers.authorization = `Bearer ${token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  return exports.default.fetch(`http://meterline.test${path}`, {
    method: init.method ?? "GET",
    headers,
    body: init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body)),
  });
}

export async function json<T = Record<string, unknown>>(res: Response, status: number): Promise<T> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  return JSON.parse(text) as T;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export async function expectProblem(res: Response, status: number): Promise<ProblemBody> {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  const body = JSON.parse(text) as ProblemBody;
  expect(body.status).toBe(status);
  expect(body.title).toBeTruthy();
  return body;
}

/** A fresh E.164 number (+1555 and 10 random digits): numbers are unique across all test files. */
export function uniqueNumber(): string {
  const [a = 0, b = 0] = crypto.getRandomValues(new Uint32Array(2));
  return `+1555${String(a % 100_000).padStart(5, "0")}${String(b % 100_000).padStart(5, "0")}`;
}

export interface LineJson {
  id: string;
  number: string;
  name: string;
  product: string;
  voice: string;
  config: Record<string, unknown>;
  active: boolean;
  created_at: string;
  updated_at: string;
}

export async function createLine(overrides: Record<string, unknown> = {}): Promise<LineJson> {
  const res = await api("/api/v1/lines", {
    method: "POST",
    body: { number: uniqueNumber(), name: "Test line", product: "demo", ...overrides },
  });
  return json<LineJson>(res, 201);
}

/** A token with these scopes; an agent token belongs to a fresh agent (on a fresh demo line). */
export async function createToken(scopes: string[], name = "test"): Promise<{ id: string; token: string }> {
  const agentId = scopes.includes("agent") ? (await seedLine("demo", {})).agents[0]!.id : undefined;
  const res = await api("/api/v1/tokens", {
    method: "POST",
    body: { name, scopes, ...(agentId ? { agent_id: agentId } : {}) },
  });
  return json<{ id: string; token: string }>(res, 201);
}

export const testDb = (): Db => createDb(env.TURSO_DATABASE_URL, env.TURSO_AUTH_TOKEN);

/** A valid advice config (per-minute billing) for lines that need one. */
export const adviceConfig = {
  billing: "per_minute",
  ratePerMinute: 2500,
  preauthAmount: 30000,
  currency: "sek",
  welcomeText: "Welcome to the advice line.",
};
