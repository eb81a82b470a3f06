/**
 * Recognises database errors the API turns into client errors. drizzle wraps libSQL's error, so
 * the cause chain is searched; only the constraint name is matched, never parameter values.
 */
export function isUniqueViolation(err: unknown, column: string): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.message.includes("UNIQUE constraint failed") && e.message.includes(column)) return true;
  }
  return false;
}
