/**
 * The API's one error funnel: every failure leaves as RFC 9457 `application/problem+json`.
 * ProblemError is what handlers throw; `onError` turns it (and zod failures, HTTPExceptions and
 * anything unexpected) into a problem response. Unexpected errors never reach the client: they are
 * logged as one JSON line (no request body, no query parameters) and answered with a bare 500.
 */
import { z } from "@hono/zod-openapi";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ZodError } from "zod";
import { fieldErrorsOf, type FieldError } from "./field-messages";

export type { FieldError } from "./field-messages";

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
  [extra: string]: unknown;
}

export const VALIDATION_PROBLEM_TYPE = "urn:meterline:problem:validation";

export class ProblemError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly title: string,
    readonly detail?: string,
    readonly type = "about:blank",
    readonly extra: Record<string, unknown> = {},
    /** Response headers that belong to this problem, e.g. Retry-After on a 429, Allow on a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
    this.name = "ProblemError";
  }

  toProblem(): Problem {
    const body: Problem = { type: this.type, title: this.title, status: this.status };
    if (this.detail !== undefined) body.detail = this.detail;
    // Extensions follow the standard members and can never overwrite them.
    for (const [key, value] of Object.entries(this.extra)) if (!(key in body)) body[key] = value;
    return body;
  }

  /** The response itself, for routes that answer directly instead of throwing (webhooks). */
  toResponse(headers: Record<string, string> = {}): Response {
    return problemResponse(this.toProblem(), { ...this.headers, ...headers });
  }
}

export const notFoundProblem = (what: string) => new ProblemError(404, "Not Found", `${what} not found.`);

export function validationProblem(
  errors: FieldError[],
  detail = "One or more fields are invalid.",
): ProblemError {
  return new ProblemError(422, "Invalid request", detail, VALIDATION_PROBLEM_TYPE, {
    errors,
  });
}

export function problemResponse(problem: Problem, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { ...headers, "content-type": "application/problem+json" },
  });
}

/**
 * OpenAPIHono defaultHook: a failed zod check on query, params or body becomes a 422 problem that
 * names every bad field in plain words. `data` is the raw input the check was given.
 */
export function validationHook(
  result: { success: true } | { success: false; error: ZodError; data?: unknown },
): void {
  if (!result.success) throw validationProblem(fieldErrorsOf(result.error, result.data));
}

// zod-openapi's own 415 says only "Unsupported Media Type"; say what to send instead.
const UNSUPPORTED_MEDIA_TYPE =
  "Send the request body as JSON, with the header 'Content-Type: application/json'.";

export const onError: ErrorHandler = (err, c) => {
  if (err instanceof ProblemError) {
    const headers: Record<string, string> =
      err.status === 401 ? { "www-authenticate": 'Bearer realm="meterline"' } : {};
    return err.toResponse(headers);
  }
  if (err instanceof HTTPException) {
    return problemResponse({
      type: "about:blank",
      title: statusTitle(err.status),
      status: err.status,
      detail: err.status === 415 ? UNSUPPORTED_MEDIA_TYPE : err.message,
    });
  }
  logUnexpected(err, c);
  return problemResponse({ type: "about:blank", title: "Internal error", status: 500 });
};

export const notFound: NotFoundHandler = (c) =>
  problemResponse({
    type: "about:blank",
    title: "Not Found",
    status: 404,
    detail: `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`,
  });

function logUnexpected(err: Error, c: Context): void {
  // drizzle puts bound parameters into its messages: keep only the text before them.
  const message = String(err.message)
    .split(/\nparams:/)[0]
    ?.slice(0, 500);
  const cause = err.cause instanceof Error ? err.cause.message.slice(0, 500) : undefined;
  console.error(
    JSON.stringify({
      level: "error",
      msg: "unhandled_error",
      method: c.req.method,
      path: new URL(c.req.url).pathname,
      error: err.name,
      message,
      cause,
    }),
  );
}

const titles: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

function statusTitle(status: number): string {
  return titles[status] ?? (status >= 500 ? "Server error" : "Request error");
}

export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "about:blank" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problemContent = { "application/problem+json": { schema: ProblemSchema } };

/** Error responses for a route's OpenAPI entry, e.g. `...problemResponses(401, 403, 404)`. */
export function problemResponses<const C extends readonly number[]>(...codes: C) {
  const out = {} as Record<C[number], { description: string; content: typeof problemContent }>;
  for (const code of codes) {
    out[code as C[number]] = { description: titles[code] ?? "Error", content: problemContent };
  }
  return out;
}
