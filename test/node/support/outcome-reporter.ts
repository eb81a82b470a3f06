/**
 * A Vitest reporter that appends one JSON line per test case ({project, file, name, state}) to the
 * file named by METERLINE_TEST_OUTCOMES, and does nothing without it. CI reads it to prove that no
 * test needing ../shared skipped; the repeat-suites tool reads it to count failures per test.
 */
import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

export interface TestOutcome {
  project: string;
  file: string;
  name: string;
  state: "passed" | "failed" | "skipped" | "pending";
  error?: string;
}

export default class OutcomeReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const target = process.env.METERLINE_TEST_OUTCOMES;
    if (!target) return;
    const lines: string[] = [];
    for (const mod of modules) {
      const file = relative(process.cwd(), mod.moduleId);
      for (const test of mod.children.allTests()) {
        const result = test.result();
        const outcome: TestOutcome = {
          project: test.project.name,
          file,
          name: test.fullName,
          state: result.state,
        };
        if (result.state === "failed") outcome.error = result.errors?.[0]?.message?.slice(0, 300);
        lines.push(JSON.stringify(outcome));
      }
      // A file that failed to load has no tests to report: count it as one failure of its own.
      if (mod.state() === "failed" && [...mod.children.allTests()].length === 0)
        lines.push(
          JSON.stringify({ project: mod.project.name, file, name: "(file failed to load)", state: "failed" }),
        );
    }
    mkdirSync(dirname(target), { recursive: true });
    appendFileSync(target, lines.map((l) => `${l}\n`).join(""));
  }
}
