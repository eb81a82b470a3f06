// What `npm start --fresh` removes: the stack's own files in a folder named .data, and nothing
// else — not a file it does not know there, and never anything in a folder of another name.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { removeLocalData } from "../../tools/local-stack/local-data";

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function scratch(): { project: string; data: string } {
  dir = mkdtempSync(path.join(tmpdir(), "meterline-fresh-"));
  const data = path.join(dir, ".data");
  mkdirSync(path.join(data, "wrangler/v3/do"), { recursive: true });
  const files = ["meterline.db", "meterline.db-wal", "meterline.db-shm", "worker.env", "worker.log"];
  for (const name of [...files, "local-stack.json", "telnyx-standin-key.pem", "my-notes.txt"])
    writeFileSync(path.join(data, name), "x");
  writeFileSync(path.join(data, "wrangler/v3/do/state.sqlite"), "x");
  writeFileSync(path.join(dir, "meterline.db"), "outside .data");
  return { project: dir, data };
}

describe("npm start --fresh", () => {
  it("removes the database, the Durable Objects' storage, the env file, the log and the stack file", async () => {
    const { project, data } = scratch();
    expect(await removeLocalData(data)).toEqual([
      "meterline.db",
      "meterline.db-wal",
      "meterline.db-shm",
      "wrangler",
      "worker.env",
      "worker.log",
      "local-stack.json",
    ]);
    expect(readdirSync(data).sort()).toEqual(["my-notes.txt", "telnyx-standin-key.pem"]);
    expect(existsSync(path.join(project, "meterline.db"))).toBe(true);
    expect(await removeLocalData(data)).toEqual([]);
  });

  it("refuses a folder not named .data", async () => {
    const { project } = scratch();
    await expect(removeLocalData(project)).rejects.toThrow(/not a \.data folder/);
    expect(existsSync(path.join(project, "meterline.db"))).toBe(true);
  });
});
