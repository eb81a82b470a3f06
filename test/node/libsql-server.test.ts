// The local libSQL server driven by the real @libsql/client over HTTP, as the Worker will use it:
// statements, batches, interactive transactions, serialisation, typed values, batons and restarts.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { createClient, type Client } from "@libsql/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLibsqlServer, type LibsqlServer } from "../../tools/libsql-server/server";

let server: LibsqlServer;
let client: Client;

beforeAll(async () => {
  server = await startLibsqlServer({});
  client = createClient({ url: server.url });
});
afterAll(async () => {
  client.close();
  await server.close();
});

async function pipeline(
  url: string,
  body: unknown,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${url}/v2/pipeline`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const count = async (table: string, c: Client = client) =>
  Number((await c.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);

describe("local libSQL server", () => {
  it("answers the version probe and the health check", async () => {
    expect((await fetch(`${server.url}/v2`)).status).toBe(200);
    expect(await (await fetch(`${server.url}/health`)).json()).toEqual({ ok: true });
  });

  it("executes statements with columns, rows, affected count and last rowid", async () => {
    await client.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
    const insert = await client.execute({
      sql: "INSERT INTO notes (body) VALUES (?), (?)",
      args: ["a", "b"],
    });
    expect(insert.rowsAffected).toBe(2);
    expect(insert.lastInsertRowid).toBe(2n);
    const select = await client.execute({
      sql: "SELECT id, body FROM notes WHERE body = :body",
      args: { body: "b" },
    });
    expect(select.columns).toEqual(["id", "body"]);
    expect(select.rows.map((r) => ({ ...r }))).toEqual([{ id: 2, body: "b" }]);
    expect(select.rowsAffected).toBe(0);
  });

  it("rolls a batch back entirely when one statement violates a constraint", async () => {
    await client.execute("CREATE TABLE tags (name TEXT PRIMARY KEY)");
    const batch = client.batch(
      ["INSERT INTO tags VALUES ('x')", "INSERT INTO tags VALUES ('y')", "INSERT INTO tags VALUES ('x')"],
      "write",
    );
    await expect(batch).rejects.toMatchObject({ code: "SQLITE_CONSTRAINT" });
    expect(await count("tags")).toBe(0);
    await client.batch(["INSERT INTO tags VALUES ('x')", "INSERT INTO tags VALUES ('y')"], "write");
    expect(await count("tags")).toBe(2);
  });

  it("keeps an interactive transaction across requests; others wait for its commit", async () => {
    await client.execute("CREATE TABLE ledger (amount INTEGER NOT NULL)");
    const tx = await client.transaction("write");
    await tx.execute("INSERT INTO ledger VALUES (100)");
    await tx.execute("INSERT INTO ledger VALUES (-30)");
    expect(Number((await tx.execute("SELECT sum(amount) AS s FROM ledger")).rows[0]?.s)).toBe(70);
    // Outside the transaction nothing uncommitted may be seen: this read queues until the commit.
    const outside = count("ledger");
    await tx.commit();
    expect(await outside).toBe(2);
  });

  it("discards an interactive transaction on rollback", async () => {
    await client.execute("CREATE TABLE drafts (id INTEGER)");
    const tx = await client.transaction("write");
    await tx.execute("INSERT INTO drafts VALUES (1)");
    await tx.execute("INSERT INTO drafts VALUES (2)");
    await tx.rollback();
    expect(await count("drafts")).toBe(0);
  });

  it("serialises 25 concurrent read-modify-write transactions without losing an update", async () => {
    await client.execute("CREATE TABLE counter (n INTEGER NOT NULL)");
    await client.execute("INSERT INTO counter VALUES (0)");
    const bump = async () => {
      const tx = await client.transaction("write");
      const n = Number((await tx.execute("SELECT n FROM counter")).rows[0]?.n);
      await tx.execute({ sql: "UPDATE counter SET n = ?", args: [n + 1] });
      await tx.commit();
    };
    await Promise.all(Array.from({ length: 25 }, bump));
    expect(Number((await client.execute("SELECT n FROM counter")).rows[0]?.n)).toBe(25);
  });

  it("rejects an unknown baton with HTTP 400 and a Hrana error", async () => {
    const { status, json } = await pipeline(server.url, {
      baton: "bogus",
      requests: [{ type: "execute", stmt: { sql: "SELECT 1" } }],
    });
    expect(status).toBe(400);
    expect(json).toMatchObject({
      code: "BATON_INVALID",
      message: expect.stringContaining("baton") as unknown,
    });
  });

  it("round-trips typed values: 64-bit integers, floats, text, blobs and null", async () => {
    const big = createClient({ url: server.url, intMode: "bigint" });
    try {
      await big.execute("CREATE TABLE vals (i INTEGER, f REAL, t TEXT, b BLOB, z)");
      const values = [2n ** 62n + 1n, 1.25e300, "héllo ✓ 'quoted'", new Uint8Array([0, 255, 7]), null];
      await big.execute({ sql: "INSERT INTO vals VALUES (?, ?, ?, ?, ?)", args: values });
      await big.execute({ sql: "INSERT INTO vals (i, f) VALUES (?, ?)", args: [-(2n ** 63n), 3.0] });
      const rows = (await big.execute("SELECT i, f, t, b, z, typeof(f) AS ft FROM vals ORDER BY rowid")).rows;
      expect(rows[0]?.i).toBe(2n ** 62n + 1n);
      expect(rows[0]?.f).toBe(1.25e300);
      expect(rows[0]?.t).toBe("héllo ✓ 'quoted'");
      expect(new Uint8Array(rows[0]?.b as ArrayBuffer)).toEqual(new Uint8Array([0, 255, 7]));
      expect(rows[0]?.z).toBeNull();
      expect(rows[1]?.i).toBe(-(2n ** 63n));
      expect(rows[1]?.ft).toBe("real");
    } finally {
      big.close();
    }
  });

  it("refuses several statements in one execute, but runs them as a sequence", async () => {
    await client.execute("CREATE TABLE pairs (v TEXT)");
    const two = client.execute("INSERT INTO pairs VALUES ('a'); INSERT INTO pairs VALUES ('b')");
    await expect(two).rejects.toMatchObject({
      code: "SQL_MANY_STATEMENTS",
      message: expect.stringContaining("more than one statement") as unknown,
    });
    expect(await count("pairs")).toBe(0);
    // Semicolons in strings, identifiers, comments and a trigger body belong to one statement.
    await client.execute(`INSERT INTO pairs VALUES ('x; DROP TABLE pairs') -- trailing; note\n; /* ; */ ;`);
    await client.execute(
      `CREATE TRIGGER "pairs;log" AFTER INSERT ON pairs BEGIN
         UPDATE pairs SET v = CASE WHEN new.v = 'q' THEN 'q!' ELSE v END WHERE rowid = new.rowid;
       END;`,
    );
    await client.executeMultiple("INSERT INTO pairs VALUES ('q'); INSERT INTO pairs VALUES ('r');");
    const rows = await client.execute("SELECT v FROM pairs ORDER BY rowid");
    expect(rows.rows.map((r) => r.v)).toEqual(["x; DROP TABLE pairs", "q!", "r"]);
  });

  it("enforces foreign keys", async () => {
    await client.execute("CREATE TABLE parents (id TEXT PRIMARY KEY)");
    await client.execute(
      "CREATE TABLE children (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES parents(id))",
    );
    await expect(client.execute("INSERT INTO children VALUES ('c1', 'nobody')")).rejects.toMatchObject({
      code: "SQLITE_CONSTRAINT",
    });
    expect(await count("children")).toBe(0);
  });
});

describe("local libSQL server, stream expiry", () => {
  it("rolls back an abandoned transaction, unblocks others, and rejects its baton afterwards", async () => {
    const short = await startLibsqlServer({ streamIdleMs: 100 });
    try {
      await pipeline(short.url, {
        requests: [{ type: "execute", stmt: { sql: "CREATE TABLE t (x)" } }, { type: "close" }],
      });
      const open = await pipeline(short.url, {
        requests: [
          { type: "execute", stmt: { sql: "BEGIN" } },
          { type: "execute", stmt: { sql: "INSERT INTO t VALUES (1)" } },
        ],
      });
      expect(typeof open.json.baton).toBe("string");
      // Queues behind the open transaction until it expires, then sees it rolled back.
      const read = await pipeline(short.url, {
        requests: [{ type: "execute", stmt: { sql: "SELECT count(*) FROM t" } }, { type: "close" }],
      });
      expect(read.json.results).toMatchObject([
        { type: "ok", response: { result: { rows: [[{ type: "integer", value: "0" }]] } } },
        { type: "ok" },
      ]);
      const late = await pipeline(short.url, {
        baton: open.json.baton,
        requests: [{ type: "execute", stmt: { sql: "COMMIT" } }],
      });
      expect(late.status).toBe(400);
      expect(late.json).toMatchObject({
        code: "STREAM_EXPIRED",
        message: expect.stringContaining("expired") as unknown,
      });
    } finally {
      await short.close();
    }
  });
});

describe("local libSQL server with a file database", () => {
  it("keeps committed data across a restart", async () => {
    const dir = await mkdtemp(join(tmpdir(), "meterline-libsql-"));
    const file = join(dir, "test.db");
    try {
      const first = await startLibsqlServer({ file });
      const c1 = createClient({ url: first.url });
      await c1.batch(["CREATE TABLE kept (v TEXT)", "INSERT INTO kept VALUES ('still here')"], "write");
      c1.close();
      await first.close();
      const second = await startLibsqlServer({ file });
      const c2 = createClient({ url: second.url });
      expect((await c2.execute("SELECT v FROM kept")).rows[0]?.v).toBe("still here");
      expect((await c2.execute("PRAGMA journal_mode")).rows[0]?.journal_mode).toBe("wal");
      c2.close();
      await second.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("local libSQL server CLI", () => {
  it("prints its URL as one JSON line, serves it, and exits cleanly on SIGTERM", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const child = spawn(join(root, "node_modules/.bin/tsx"), ["tools/libsql-server/cli.ts", "--port", "0"], {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
      const { url } = JSON.parse(line) as { url: string };
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const c = createClient({ url });
      expect((await c.execute("SELECT 41 + 1 AS answer")).rows[0]?.answer).toBe(42);
      c.close();
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      expect(await exited).toEqual([0, null]);
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
