/**
 * The rule CI applies to tests that need ../shared: where it exists, every such test must have run
 * (none skipped), and at least one must be there at all. Pure, so the rule itself is tested.
 */
import type { TestOutcome } from "../../test/node/support/outcome-reporter";
import { NEEDS_SHARED } from "../../test/node/support/shared-reference";

export type SharedSkipVerdict =
  { ok: true; ran: number; skipped: number } | { ok: false; problems: string[] };

export function sharedSkipVerdict(outcomes: TestOutcome[], sharedPresent: boolean): SharedSkipVerdict {
  const needing = outcomes.filter((o) => o.name.includes(NEEDS_SHARED));
  const skipped = needing.filter((o) => o.state === "skipped" || o.state === "pending");
  const ran = needing.length - skipped.length;
  if (!sharedPresent) return { ok: true, ran, skipped: skipped.length };
  const problems = skipped.map((o) => `skipped: ${o.file} › ${o.name}`);
  if (ran === 0) problems.push(`no test named "${NEEDS_SHARED}" ran at all`);
  return problems.length ? { ok: false, problems } : { ok: true, ran, skipped: 0 };
}
