/**
 * The security matrix: every operation in the live OpenAPI document (GET /api/openapi.json through
 * the real Worker) × {no token, malformed token, wrong scope, revoked token, another agent's token}
 * → the status its row in support/security-routes.ts implies. The operations come from the
 * document, so a new route without a row fails here; a route the API serves but does not document
 * fails too. Another agent's token is tried on a real agent's live call and agent record, beside
 * that agent's own token, so a refusal is told apart from a missing resource.
 */
import { describe, expect, it } from "vitest";
import { createApiApp } from "../../src/api/app";
import type { Scope } from "../../src/api/context";
import { api, json } from "./api-helpers";
import { TestCall } from "./support/call";
import { seedLine } from "./support/seed";
import { ROUTE_RULES, type RouteRule } from "./support/security-routes";
import { useWireFakes } from "./support/wire-fakes";

useWireFakes();

type Operation = { security?: { bearerAuth?: string[] }[] };
type Doc = { paths: Record<string, Record<string, Operation>> };
type Column = "no token" | "malformed" | "wrong scope" | "revoked" | "another agent";
const COLUMNS: Column[] = ["no token", "malformed", "wrong scope", "revoked", "another agent"];
const METHODS = new Set(["get", "post", "put", "patch", "delete"]);

/** Headers that are not a usable bearer token, one per operation in turn. */
const MALFORMED = [
  "Basic YWRtaW46cGFzcw==",
  "Bearer",
  "Bearer two words",
  "Bearer ml_<script>",
  "ml_a_token_without_the_Bearer_word",
];

/**
 * Each failing request comes from an address of its own in 198.18.0.0/15 (RFC 2544), so the
 * sign-in throttle (10 failures a minute per client) never turns an expected 401 into a 429.
 */
let ipSeq = crypto.getRandomValues(new Uint16Array(1))[0]! * 2;
const freshIp = () => {
  ipSeq = (ipSeq + 1) % 131_072;
  return `198.${18 + (ipSeq >> 16)}.${(ipSeq >> 8) & 255}.${ipSeq & 255}`;
};

interface Fixture {
  params: Record<string, string>;
  tokens: { readonly: string; agentA: string; agentB: string; revoked: string };
}

async function createTokenFor(scopes: Scope[], agentId?: string): Promise<{ id: string; token: string }> {
  const body = { name: `matrix ${scopes.join("+")}`, scopes, ...(agentId ? { agent_id: agentId } : {}) };
  return json(await api("/api/v1/tokens", { method: "POST", body }), 201);
}

/** A demo line with agents A and B; A is talking on a live call, B is free. */
async function fixture(): Promise<Fixture & { call: TestCall; agentLeg: string }> {
  const line = await seedLine("demo", {}, [{ name: "A" }, { name: "B" }]);
  const [a, b] = [line.agents[0]!, line.agents[1]!];
  const call = new TestCall("+15551250001", line.number);
  const agentLeg = `v3:matrix-agent-${call.sessionId.slice(5, 13)}`;
  await call.start();
  await call.answered();
  await call.gathered("1");
  await call.agentDialled(agentLeg, a.id);
  await call.agentAnswered(agentLeg, a.id);
  await call.bridged(call.callerLeg, "caller");
  const revoked = await createTokenFor(["admin"]);
  expect((await api(`/api/v1/tokens/${revoked.id}`, { method: "DELETE" })).status).toBe(204);
  return {
    call,
    agentLeg,
    params: {
      lineId: line.id,
      agentId: a.id,
      callId: call.sessionId,
      number: "+46812345678",
      seq: "1",
      // The call's first secure payment (its POST row asks for it).
      requestId: `sp_${call.sessionId}_1`,
      paymentId: `sp_${call.sessionId}_1`,
    },
    tokens: {
      readonly: (await createTokenFor(["readonly"])).token,
      agentA: (await createTokenFor(["agent"], a.id)).token,
      agentB: (await createTokenFor(["agent"], b.id)).token,
      revoked: revoked.token,
    },
  };
}

/** Sends one request and reads its status; a WebSocket the API accepted is closed again. */
async function statusOf(
  method: string,
  url: string,
  token: string | null,
  rule: RouteRule | null,
  extraHeaders: Record<string, string> = {},
): Promise<number> {
  const body = rule?.body ?? (method === "GET" || method === "DELETE" ? undefined : {});
  const res = await api(url, {
    method,
    token,
    ...(rule ? { body } : {}),
    headers: { "cf-connecting-ip": freshIp(), ...rule?.headers, ...extraHeaders },
  });
  if (res.webSocket) {
    res.webSocket.accept();
    res.webSocket.close(1000, "matrix");
  } else await res.body?.cancel();
  return res.status;
}

function urlFor(path: string, params: Record<string, string>): string {
  return `/api${path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? "missing_id"))}`;
}

describe("security matrix", () => {
  it("every documented route × every kind of bad credential answers as its row says", async () => {
    const doc = await json<Doc>(await api("/api/openapi.json", { token: null }), 200);
    const f = await fixture();
    const mismatches: string[] = [];
    const tally = new Map<string, number>();
    const seen = new Set<string>();
    const check = (key: string, column: Column, got: number, want: number | string) => {
      tally.set(`${column}|${got}`, (tally.get(`${column}|${got}`) ?? 0) + 1);
      if (got !== want) mismatches.push(`${key} · ${column}: ${got}, expected ${want}`);
    };

    for (const [path, ops] of Object.entries(doc.paths))
      for (const [verb, op] of Object.entries(ops)) {
        if (!METHODS.has(verb)) continue;
        const method = verb.toUpperCase();
        const key = `${method} ${path}`;
        seen.add(key);
        const rule = ROUTE_RULES[key];
        if (!rule) {
          mismatches.push(`${key}: no row in support/security-routes.ts`);
          continue;
        }
        const declared = op.security?.[0]?.bearerAuth ?? [];
        if ([...declared].sort().join() !== [...rule.scopes].sort().join())
          mismatches.push(
            `${key}: declares scopes [${declared.join()}], its row says [${rule.scopes.join()}]`,
          );
        const url = urlFor(path, f.params);

        check(key, "no token", await statusOf(method, url, null, null), 401);
        const malformed = MALFORMED[seen.size % MALFORMED.length]!;
        check(key, "malformed", await statusOf(method, url, null, null, { authorization: malformed }), 401);
        check(key, "revoked", await statusOf(method, url, f.tokens.revoked, null), 401);

        const wrongScope = !rule.scopes.includes("readonly")
          ? f.tokens.readonly
          : !rule.scopes.includes("agent")
            ? f.tokens.agentB
            : null;
        if (wrongScope) check(key, "wrong scope", await statusOf(method, url, wrongScope, rule), 403);

        if (!rule.scopes.includes("agent")) {
          check(key, "another agent", await statusOf(method, url, f.tokens.agentB, rule), 403);
        } else if (!rule.agents) {
          mismatches.push(`${key}: agents may use it, but its row says nothing about whose it is`);
        } else {
          const own = await statusOf(method, url, f.tokens.agentA, rule);
          const other = await statusOf(method, url, f.tokens.agentB, rule);
          if (rule.agents === "shared") {
            if (own === 401 || own === 403) mismatches.push(`${key} · agent's own token: ${own}`);
            check(key, "another agent", other, own);
          } else {
            if (own !== rule.agents.own)
              mismatches.push(`${key} · agent's own token: ${own}, expected ${rule.agents.own}`);
            check(key, "another agent", other, rule.agents.other);
          }
        }
      }

    for (const key of Object.keys(ROUTE_RULES))
      if (!seen.has(key)) mismatches.push(`${key}: a row for a route the document no longer has`);
    printSummary(seen.size, tally);
    expect(mismatches).toEqual([]);
    expect(seen.size).toBeGreaterThan(60);

    await f.call.hangup(f.call.callerLeg, "caller");
    await f.call.hangup(f.agentLeg, `agent:${f.params.agentId}`);
  });

  it("every /v1 route the API serves is in the document (so none escapes the matrix)", async () => {
    const doc = await json<Doc>(await api("/api/openapi.json", { token: null }), 200);
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((verb) => `${verb.toUpperCase()} ${path}`),
      ),
    );
    const served = createApiApp()
      .routes.filter((r) => r.method !== "ALL" && r.path.startsWith("/v1/"))
      .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z_]+)/g, "{$1}")}`);
    expect(served.length).toBeGreaterThan(60);
    expect(served.filter((r) => !documented.has(r))).toEqual([]);
  });
});

function printSummary(routes: number, tally: Map<string, number>): void {
  const rows = COLUMNS.map((column) => {
    const cells = [...tally]
      .filter(([k]) => k.startsWith(`${column}|`))
      .map(([k, n]) => `${k.split("|")[1]}×${n}`)
      .join(" ");
    return `  ${column.padEnd(14)} ${cells || "—"}`;
  });
  console.log([`security matrix: ${routes} routes`, ...rows].join("\n"));
}
