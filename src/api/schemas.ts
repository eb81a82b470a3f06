/**
 * Shared request/response building blocks for the v1 resources: phone numbers, ISO-8601 times,
 * query-string booleans and date ranges. Times are stored as epoch ms and rendered in UTC.
 */
import { z } from "@hono/zod-openapi";

export const E164 = z
  .string()
  .regex(/^\+[1-9]\d{1,14}$/, "must be an E.164 number like +46701234567")
  .openapi({ example: "+46701234567" });

export const IsoTime = z.string().openapi({ format: "date-time", example: "2026-11-21T09:30:00.000Z" });

export const toIso = (ms: number): string => new Date(ms).toISOString();
export const toIsoOrNull = (ms: number | null): string | null => (ms === null ? null : toIso(ms));

export const BooleanQuery = z
  .enum(["true", "false"])
  .transform((v) => v === "true")
  .openapi({ type: "string", enum: ["true", "false"] });

const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const DateOrDateTime = z
  .string()
  .refine((v) => (DATE.test(v) || /^\d{4}-\d{2}-\d{2}T/.test(v)) && !Number.isNaN(Date.parse(v)), {
    message: "must be an ISO-8601 date (2026-11-21) or date-time (2026-11-21T09:30:00Z)",
  })
  .openapi({ example: "2026-11-01" });

export const DateOnly = z
  .string()
  .refine((v) => DATE.test(v) && !Number.isNaN(Date.parse(v)), { message: "must be a date like 2026-11-21" })
  .openapi({ format: "date", example: "2026-11-01" });

const DAY_MS = 86_400_000;

/** Inclusive start: a bare date is its midnight UTC. */
export const startOf = (value: string): number => Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);

/** Exclusive end: a bare date covers that whole UTC day; a date-time is the instant itself. */
export const endOf = (value: string): number =>
  DATE.test(value) ? Date.parse(`${value}T00:00:00Z`) + DAY_MS : Date.parse(value);

export const idParam = (name: string, example: string) =>
  z
    .string()
    .min(1)
    .max(200)
    .openapi({ param: { name, in: "path" }, example });

/** `content` of a JSON request body or response in a route definition. */
export const jsonContent = <T extends z.ZodType>(schema: T) => ({ "application/json": { schema } });

/** Where a resource just created lives: the collection the request was sent to, plus its id. */
export const locationOf = (c: { req: { url: string } }, id: string): string =>
  `${new URL(c.req.url).pathname.replace(/\/$/, "")}/${encodeURIComponent(id)}`;

/** A 201's `Location` header, for a route's OpenAPI entry. */
export const createdHeaders = z.object({
  Location: z.string().openapi({
    description: "Path of the created resource",
    example: "/api/v1/lines/ln_4fJ9s0QbXk2mT7aLzP1c",
  }),
});
