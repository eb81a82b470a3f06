/**
 * A local Hrana-over-HTTP (v2, JSON) server on the real libSQL engine, for the local stack and
 * tests: `@libsql/client` talks to it exactly as it would to Turso. HTTP routing and body parsing
 * only; streams, locking and SQL live in their own modules. Local use only: no auth, no TLS.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Connection } from "./connection";
import { runPipeline } from "./pipeline";
import { HranaHttpError, pipelineRequestSchema, type PipelineRequest } from "./protocol";
import { StreamRegistry } from "./streams";

export interface LibsqlServerOptions {
  /** Database file path, or ":memory:" (the default). */
  file?: string;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** How long an idle stream lives before it is closed and its transaction rolled back. */
  streamIdleMs?: number;
}

export interface LibsqlServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

export async function startLibsqlServer(opts: LibsqlServerOptions = {}): Promise<LibsqlServer> {
  const connection = new Connection(opts.file ?? ":memory:");
  const registry = new StreamRegistry({
    idleMs: opts.streamIdleMs ?? 10_000,
    abandonTransaction: () => connection.rollbackIfOpen(),
  });
  const server = createServer((req, res) => {
    handle(req, res, registry, connection).catch((error: unknown) => sendError(res, error));
  });
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        registry.shutdown();
        server.close(() => {
          connection.close();
          resolve();
        });
        server.closeAllConnections();
      })),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  registry: StreamRegistry,
  connection: Connection,
) {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  if (req.method === "GET" && (path === "/v2" || path === "/health")) {
    return sendJson(res, 200, path === "/health" ? { ok: true } : { version: 2 });
  }
  if (path === "/v2/pipeline") {
    if (req.method !== "POST")
      throw new HranaHttpError(405, "Use POST for /v2/pipeline", "METHOD_NOT_ALLOWED");
    const body = await readPipelineRequest(req);
    return sendJson(res, 200, await runPipeline(body, registry, connection));
  }
  // Hrana 3 (/v3, /v3-protobuf) is deliberately absent: the client then falls back to v2.
  throw new HranaHttpError(404, `No route for ${req.method ?? "?"} ${path}`, "NOT_FOUND");
}

async function readPipelineRequest(req: IncomingMessage): Promise<PipelineRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new HranaHttpError(413, "Request body too large", "PAYLOAD_TOO_LARGE");
    chunks.push(chunk);
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HranaHttpError(400, "Request body is not valid JSON", "PROTOCOL_ERROR");
  }
  const parsed = pipelineRequestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") : "";
    throw new HranaHttpError(
      400,
      `Malformed pipeline request at '${where}': ${issue?.message ?? "invalid"}`,
      "PROTOCOL_ERROR",
    );
  }
  return parsed.data;
}

function sendError(res: ServerResponse, error: unknown): void {
  if (error instanceof HranaHttpError) {
    sendJson(res, error.status, { message: error.message, code: error.code });
    return;
  }
  console.error("libsql-server: internal error", error);
  sendJson(res, 500, { message: "Internal server error", code: "INTERNAL_ERROR" });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return;
  // Exactly "application/json": @libsql/hrana-client only parses error bodies with that type.
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}
