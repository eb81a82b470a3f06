// The interactive API docs work offline: /api/docs loads Swagger UI's script and styles from the
// Worker itself (same origin, the swagger-ui-dist package served as static assets), never a CDN,
// and every file it references answers 200 with the right content type. Nothing else of the
// package is reachable.
import { describe, expect, it } from "vitest";
import { api, expectProblem } from "./api-helpers";

const PAGE = "http://meterline.test/api/docs";

async function docsPage(): Promise<{ html: string; scripts: URL[]; styles: URL[] }> {
  const res = await api("/api/docs", { token: null });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^text\/html/);
  const html = await res.text();
  const attr = (tag: RegExp, name: string) =>
    [...html.matchAll(tag)].map((m) => new URL(new RegExp(`${name}="([^"]+)"`).exec(m[0])?.[1] ?? "", PAGE));
  return {
    html,
    scripts: attr(/<script\b[^>]*>/g, "src"),
    styles: attr(/<link\b[^>]*rel="stylesheet"[^>]*>/g, "href"),
  };
}

describe("/api/docs", () => {
  it("references only same-origin scripts and styles", async () => {
    const { html, scripts, styles } = await docsPage();
    expect(scripts.length).toBeGreaterThan(0);
    expect(styles.length).toBeGreaterThan(0);
    for (const url of [...scripts, ...styles]) expect(url.origin, url.href).toBe(new URL(PAGE).origin);
    expect(html).not.toMatch(/https?:\/\/(?!meterline\.test)/);
    // No inline script: every <script> has a src (a strict CSP could be added without changes).
    expect(html).not.toMatch(/<script\b(?![^>]*\bsrc=)[^>]*>/);
  });

  it("serves every script and style it references, with the right content type", async () => {
    const { scripts, styles } = await docsPage();
    for (const [urls, type] of [
      [scripts, /^(text|application)\/javascript/],
      [styles, /^text\/css/],
    ] as const) {
      for (const url of urls) {
        const res = await api(url.pathname, { token: null });
        expect(res.status, url.pathname).toBe(200);
        expect(res.headers.get("content-type"), url.pathname).toMatch(type);
        expect((await res.text()).length, url.pathname).toBeGreaterThan(100);
      }
    }
  });

  it("points Swagger UI at the OpenAPI document next to it", async () => {
    const { scripts } = await docsPage();
    const bodies = await Promise.all(
      scripts.map(async (u) => (await api(u.pathname, { token: null })).text()),
    );
    expect(bodies.some((b) => b.includes("SwaggerUIBundle") && b.includes("openapi.json"))).toBe(true);
  });

  it("exposes nothing else of the Swagger UI package", async () => {
    for (const file of ["package.json", "index.html", "README.md", "swagger-ui-bundle.js.map"]) {
      await expectProblem(await api(`/api/docs/${file}`, { token: null }), 404);
    }
  });
});
