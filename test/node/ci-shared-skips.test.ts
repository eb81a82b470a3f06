// CI's rule for tests that need ../shared: a skip passes on a bare clone, fails where ../shared exists.
import { describe, expect, it } from "vitest";
import { sharedSkipVerdict } from "../../tools/ci/shared-skips";
import type { TestOutcome } from "./support/outcome-reporter";
import { NEEDS_SHARED } from "./support/shared-reference";

const test = (name: string, state: TestOutcome["state"]): TestOutcome => ({
  project: "node",
  file: "test/node/x.test.ts",
  name,
  state,
});

describe("the shared-skip rule", () => {
  const ran = test(`${NEEDS_SHARED} spec > speak`, "passed");
  const skipped = test(`${NEEDS_SHARED} spec > SKIPPED`, "skipped");
  const unrelatedSkip = test("something else", "skipped");

  it("fails when ../shared exists and a test needing it skipped", () => {
    const verdict = sharedSkipVerdict([ran, skipped, unrelatedSkip], true);
    expect(verdict).toEqual({ ok: false, problems: [`skipped: test/node/x.test.ts › ${skipped.name}`] });
  });

  it("fails when ../shared exists but no test needing it ran at all", () => {
    expect(sharedSkipVerdict([unrelatedSkip], true)).toMatchObject({ ok: false });
  });

  it("passes when every test needing ../shared ran, and allows skips on a bare clone", () => {
    expect(sharedSkipVerdict([ran, unrelatedSkip], true)).toEqual({ ok: true, ran: 1, skipped: 0 });
    expect(sharedSkipVerdict([skipped], false)).toEqual({ ok: true, ran: 0, skipped: 1 });
  });
});
