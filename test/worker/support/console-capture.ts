/**
 * Every console line a test's Worker code writes, as text (errors with their stack), so a scan for
 * card data or PINs reads exactly what `wrangler tail` would have shown.
 */
import { vi } from "vitest";

export function captureConsole(logs: string[]): void {
  const asText = (a: unknown) =>
    typeof a === "string"
      ? a
      : a instanceof Error
        ? `${a.name}: ${a.message}\n${a.stack}`
        : JSON.stringify(a);
  for (const method of ["log", "info", "warn", "error", "debug"] as const)
    vi.spyOn(console, method).mockImplementation(
      (...args: unknown[]) => void logs.push(args.map(asText).join(" ")),
    );
}
