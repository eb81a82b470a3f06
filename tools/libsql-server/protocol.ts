/**
 * The Hrana-over-HTTP (v2, JSON) wire shapes this server accepts and returns, validated with zod at
 * the edge. Only what @libsql/client's web build sends is modelled; protobuf and cursors (Hrana 3)
 * are not served, so the client falls back to v2. No execution happens here.
 */
import { z } from "zod";

export const wireValueSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("null") }),
  // Hrana sends integers as decimal strings so that 64-bit values survive JSON.
  z.object({ type: z.literal("integer"), value: z.union([z.string().regex(/^-?\d+$/), z.number().int()]) }),
  z.object({ type: z.literal("float"), value: z.number() }),
  z.object({ type: z.literal("text"), value: z.string() }),
  z.object({ type: z.literal("blob"), base64: z.string() }),
]);
export type WireValue = z.infer<typeof wireValueSchema>;

export const stmtSchema = z.object({
  sql: z.string().nullish(),
  sql_id: z.number().int().nullish(),
  args: z.array(wireValueSchema).nullish(),
  named_args: z.array(z.object({ name: z.string(), value: wireValueSchema })).nullish(),
  want_rows: z.boolean().nullish(),
});
export type Stmt = z.infer<typeof stmtSchema>;

export type BatchCond =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: BatchCond }
  | { type: "and" | "or"; conds: BatchCond[] }
  | { type: "is_autocommit" };

export const batchCondSchema: z.ZodType<BatchCond> = z.lazy(() =>
  z.discriminatedUnion("type", [
    z.object({ type: z.enum(["ok", "error"]), step: z.number().int().nonnegative() }),
    z.object({ type: z.literal("not"), cond: batchCondSchema }),
    z.object({ type: z.enum(["and", "or"]), conds: z.array(batchCondSchema) }),
    z.object({ type: z.literal("is_autocommit") }),
  ]),
);

export const batchSchema = z.object({
  steps: z.array(z.object({ condition: batchCondSchema.nullish(), stmt: stmtSchema })),
});
export type Batch = z.infer<typeof batchSchema>;

const sqlRef = { sql: z.string().nullish(), sql_id: z.number().int().nullish() };

export const streamRequestSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("close") }),
  z.object({ type: z.literal("execute"), stmt: stmtSchema }),
  z.object({ type: z.literal("batch"), batch: batchSchema }),
  z.object({ type: z.literal("sequence"), ...sqlRef }),
  z.object({ type: z.literal("describe"), ...sqlRef }),
  z.object({ type: z.literal("store_sql"), sql_id: z.number().int(), sql: z.string() }),
  z.object({ type: z.literal("close_sql"), sql_id: z.number().int() }),
  z.object({ type: z.literal("get_autocommit") }),
]);
export type StreamRequest = z.infer<typeof streamRequestSchema>;

export const pipelineRequestSchema = z.object({
  baton: z.string().nullish(),
  requests: z.array(streamRequestSchema),
});
export type PipelineRequest = z.infer<typeof pipelineRequestSchema>;

/** Hrana's error object; `code` is the SQLite primary code name, as sqld/Turso send it. */
export interface WireError {
  message: string;
  code?: string;
}

export interface StmtResult {
  cols: { name: string; decltype: string | null }[];
  rows: WireValue[][];
  affected_row_count: number;
  last_insert_rowid: string | null;
}

export interface BatchResult {
  step_results: (StmtResult | null)[];
  step_errors: (WireError | null)[];
}

export type StreamResponse =
  | { type: "close" | "sequence" | "store_sql" | "close_sql" }
  | { type: "execute"; result: StmtResult }
  | { type: "batch"; result: BatchResult }
  | { type: "get_autocommit"; is_autocommit: boolean };

export type StreamResult = { type: "ok"; response: StreamResponse } | { type: "error"; error: WireError };

export interface PipelineResponse {
  baton: string | null;
  base_url: string | null;
  results: StreamResult[];
}

/** An error that ends the request with an HTTP status (bad baton, malformed body). */
export class HranaHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code: string,
  ) {
    super(message);
    this.name = "HranaHttpError";
  }
}
