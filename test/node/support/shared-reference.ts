/**
 * Reference material that lives beside the clone, not in it (../shared: Telnyx's published OpenAPI
 * document). Tests that read it carry NEEDS_SHARED in their names and skip loudly without it; CI
 * (`tools/ci/check-shared-skips.ts`) fails the run when one of them skipped although ../shared is there.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const SHARED_DIR = fileURLToPath(new URL("../../../../shared", import.meta.url));
export const NEEDS_SHARED = "[needs ../shared]";

export const sharedPresent = (): boolean => existsSync(SHARED_DIR);

/** The loud half of a skip: a console line nobody can miss, naming what was not checked. */
export function warnSkipped(file: string, missing: string, notChecked: string): void {
  console.warn(`\n!!! ${file}: ${missing} NOT FOUND; ${notChecked} NOT checked.\n`);
}
