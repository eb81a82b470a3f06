/**
 * CI's guard for tests that need ../shared (Telnyx's published OpenAPI document): on a bare clone
 * they skip loudly, but where ../shared exists a skip would mean our commands went unchecked against
 * Telnyx's API. Reads the outcomes the test run appended (METERLINE_TEST_OUTCOMES) and exits 1 when
 * such a test skipped, or when none ran at all (the tag or the reporter went missing).
 */
import { existsSync, readFileSync } from "node:fs";
import type { TestOutcome } from "../../test/node/support/outcome-reporter";
import { SHARED_DIR, sharedPresent } from "../../test/node/support/shared-reference";
import { sharedSkipVerdict } from "./shared-skips";

const file = process.argv[2] ?? process.env.METERLINE_TEST_OUTCOMES;
if (!file || !existsSync(file)) {
  console.error(`check-shared-skips: no test outcomes at ${file ?? "(unset)"}; did the reporter run?`);
  process.exit(1);
}
const outcomes = readFileSync(file, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((line) => JSON.parse(line) as TestOutcome);
const present = sharedPresent();
const verdict = sharedSkipVerdict(outcomes, present);
if (!verdict.ok) {
  console.error(`check-shared-skips: ${SHARED_DIR} exists, yet tests that need it did not run:`);
  for (const p of verdict.problems) console.error(`  ${p}`);
  process.exit(1);
}
console.log(
  present
    ? `check-shared-skips: ${verdict.ran} test(s) checked against ${SHARED_DIR}, none skipped.`
    : `check-shared-skips: ${SHARED_DIR} is absent; ${verdict.skipped} test(s) needing it skipped (allowed).`,
);
