/**
 * GET /api/docs: the interactive API page (Swagger UI), served entirely by the Worker so it works
 * offline and never loads code from a CDN. Swagger UI's files come from the `swagger-ui-dist`
 * package through the DOCS_ASSETS static-assets binding (wrangler.toml `[assets]`); only the files
 * the page needs are reachable, under /api/docs/. The page has no inline script.
 */
import { Hono } from "hono";
import { notFoundProblem } from "./problem";

/** Files of swagger-ui-dist the page uses, and the content type each is served with. */
const PACKAGE_FILES: Record<string, string> = {
  "swagger-ui.css": "text/css; charset=utf-8",
  "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
  "favicon-32x32.png": "image/png",
};

// The document sits next to this page (/api/openapi.json), wherever the API app is mounted.
const START_SCRIPT = `window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "./openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
`;

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>Meterline admin API</title>
    <link rel="icon" type="image/png" href="./docs/favicon-32x32.png" />
    <link rel="stylesheet" href="./docs/swagger-ui.css" />
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="./docs/swagger-ui-bundle.js"></script>
    <script src="./docs/start.js"></script>
  </body>
</html>
`;

const headers = (contentType: string) => ({
  "content-type": contentType,
  "x-content-type-options": "nosniff",
});

export function createDocsApp(): Hono<{ Bindings: Env }> {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/", (c) => c.body(PAGE, 200, headers("text/html; charset=utf-8")));
  app.get("/start.js", (c) => c.body(START_SCRIPT, 200, headers("text/javascript; charset=utf-8")));
  app.get("/:file", async (c) => {
    const file = c.req.param("file");
    const contentType = PACKAGE_FILES[file];
    if (!contentType) throw notFoundProblem(`Docs file ${file}`);
    // The assets binding answers by path inside the package directory; the host is ignored.
    const asset = await c.env.DOCS_ASSETS.fetch(new Request(`https://docs-assets/${file}`, c.req.raw));
    if (!asset.ok) throw notFoundProblem(`Docs file ${file}`);
    const res = new Response(asset.body, asset);
    for (const [name, value] of Object.entries(headers(contentType))) res.headers.set(name, value);
    return res;
  });
  return app;
}
