/**
 * Runs Hrana statements, batches and sequences on the shared libSQL connection, synchronously.
 * It knows nothing of streams or locking: the caller must already own the connection, and because
 * every call here is synchronous no other stream can interleave within one.
 */
import type Database from "libsql";
import type { Batch, BatchCond, BatchResult, Stmt, StmtResult, WireError } from "./protocol";
import { hasTrailingStatement } from "./statement-split";
import { fromWire, toWire, toWireError, type SqlValue } from "./values";

/** A statement-level failure reported inside the Hrana result, not as an HTTP error. */
export class StmtError extends Error {
  constructor(
    message: string,
    readonly code = "SQL_ERROR",
  ) {
    super(message);
    this.name = "StmtError";
  }
}

export function wireErrorOf(error: unknown): WireError {
  return error instanceof StmtError ? { message: error.message, code: error.code } : toWireError(error);
}

/** SQL texts a stream stored with `store_sql`, by id. */
export type SqlStore = Map<number, string>;

export function resolveSql(ref: { sql?: string | null; sql_id?: number | null }, store: SqlStore): string {
  if (ref.sql != null && ref.sql_id != null)
    throw new StmtError("Give either sql or sql_id, not both", "PROTOCOL_ERROR");
  if (ref.sql != null) return ref.sql;
  if (ref.sql_id != null) {
    const sql = store.get(ref.sql_id);
    if (sql === undefined) throw new StmtError(`No SQL text stored under id ${ref.sql_id}`, "SQL_NOT_FOUND");
    return sql;
  }
  throw new StmtError("The statement has neither sql nor sql_id", "PROTOCOL_ERROR");
}

type BindArgs = SqlValue[] | [Record<string, SqlValue>];

function bindArgs(stmt: Stmt): BindArgs {
  const positional = stmt.args ?? [];
  const named = stmt.named_args ?? [];
  if (named.length === 0) return positional.map(fromWire);
  if (positional.length > 0) {
    throw new StmtError("This local server cannot mix positional and named arguments in one statement");
  }
  // The engine matches bare names against :name, @name and $name; Hrana names may carry the prefix.
  const byName: Record<string, SqlValue> = {};
  for (const arg of named) byName[arg.name.replace(/^[:@$]/, "")] = fromWire(arg.value);
  return [byName];
}

export class Executor {
  readonly #db: Database.Database;
  readonly #stats: Database.Statement;

  constructor(db: Database.Database) {
    this.#db = db;
    this.#stats = db.prepare("SELECT changes(), total_changes(), last_insert_rowid()").raw(true);
  }

  get isAutocommit(): boolean {
    return !this.#db.inTransaction;
  }

  execute(stmt: Stmt, store: SqlStore): StmtResult {
    const sql = resolveSql(stmt, store);
    if (sql.trim() === "") throw new StmtError("SQL string contains no statements");
    // libsql-js would run the first statement and drop the rest without a word; sqld refuses.
    if (hasTrailingStatement(sql)) {
      throw new StmtError(
        "SQL string contains more than one statement: execute takes one statement (use a batch or sequence for several)",
        "SQL_MANY_STATEMENTS",
      );
    }
    const prepared = this.#db.prepare(sql);
    const args = bindArgs(stmt);
    const totalBefore = this.#readStats()[1];
    let rows: unknown[][] = [];
    if (prepared.reader) rows = prepared.raw(true).all(...args) as unknown[][];
    else prepared.run(...args);
    const [changes, totalAfter, rowid] = this.#readStats();
    return {
      cols: prepared.reader ? prepared.columns().map((c) => ({ name: c.name, decltype: c.type })) : [],
      rows: stmt.want_rows === false ? [] : rows.map((row) => row.map(toWire)),
      // changes() keeps the last DML's count through a SELECT or DDL; only trust it if something changed.
      affected_row_count: totalAfter !== totalBefore ? Number(changes) : 0,
      last_insert_rowid: rowid.toString(),
    };
  }

  batch(batch: Batch, store: SqlStore): BatchResult {
    const outcomes: ("ok" | "error" | "skipped")[] = [];
    const result: BatchResult = { step_results: [], step_errors: [] };
    batch.steps.forEach((step, index) => {
      const run = step.condition == null || this.#holds(step.condition, outcomes, index);
      let stepResult: StmtResult | null = null;
      let stepError: WireError | null = null;
      if (run) {
        try {
          stepResult = this.execute(step.stmt, store);
        } catch (error) {
          stepError = wireErrorOf(error);
        }
      }
      outcomes.push(!run ? "skipped" : stepError ? "error" : "ok");
      result.step_results.push(stepResult);
      result.step_errors.push(stepError);
    });
    return result;
  }

  sequence(sql: string): void {
    this.#db.exec(sql);
  }

  #holds(cond: BatchCond, outcomes: readonly string[], current: number): boolean {
    switch (cond.type) {
      case "ok":
      case "error":
        if (cond.step >= current)
          throw new StmtError(`Condition refers to step ${cond.step}, not an earlier one`, "PROTOCOL_ERROR");
        return outcomes[cond.step] === cond.type;
      case "not":
        return !this.#holds(cond.cond, outcomes, current);
      case "and":
        return cond.conds.every((c) => this.#holds(c, outcomes, current));
      case "or":
        return cond.conds.some((c) => this.#holds(c, outcomes, current));
      case "is_autocommit":
        return this.isAutocommit;
    }
  }

  #readStats(): [bigint, bigint, bigint] {
    return this.#stats.get() as [bigint, bigint, bigint];
  }
}
