/**
 * 405 for a known path asked with a method it does not answer (RFC 9110 §15.5.6), with `Allow`
 * listing the methods it does; unknown paths stay 404. Read from the app's own route table, so a
 * new route needs no list kept by hand. Hono answers HEAD wherever it answers GET.
 */
import type { NotFoundHandler } from "hono";
import { notFound, ProblemError } from "./problem";

interface RouteTable {
  routes: { method: string; path: string }[];
}

export function notFoundOrMethodNotAllowed(app: RouteTable): NotFoundHandler {
  let table: { pattern: RegExp; method: string }[] | undefined;
  return (c) => {
    // Built on first use: by then every route is registered.
    table ??= app.routes
      .filter((r) => r.method !== "ALL")
      .map((r) => ({ pattern: patternOf(r.path), method: r.method }));
    const path = c.req.path;
    const allowed = new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method));
    if (allowed.has("GET")) allowed.add("HEAD");
    if (allowed.size === 0 || allowed.has(c.req.method)) return notFound(c);
    const allow = [...allowed].sort().join(", ");
    return new ProblemError(
      405,
      "Method Not Allowed",
      `${c.req.method} is not allowed on ${path}; it answers ${allow}.`,
      "about:blank",
      {},
      { allow },
    ).toResponse();
  };
}

/** "/api/v1/lines/:lineId" → /^\/api\/v1\/lines\/[^/]+$/ */
function patternOf(routePath: string): RegExp {
  const segments = routePath.split("/").map((segment) => {
    if (segment.startsWith(":")) return "[^/]+";
    if (segment === "*") return ".*";
    return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  });
  return new RegExp(`^${segments.join("/")}$`);
}
