// The address directory behind its one interface: the HTTP adapter speaks the number-to-address
// service's wire format (bearer key, JSON, 404 for an unknown number, anything else an outage),
// and what counts as billable.
import { describe, expect, it } from "vitest";
import { billability, httpDirectory } from "../../src/products/agent-line/directory";

function service(answer: (url: URL, init: RequestInit | undefined) => Response) {
  const seen: { url: URL; auth: string | null }[] = [];
  const fetcher = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    seen.push({ url, auth: new Headers(init?.headers).get("authorization") });
    return Promise.resolve(answer(url, init));
  };
  return { seen, fetcher };
}

describe("the HTTP directory adapter", () => {
  it("asks for the E.164 number with the key, and reads the address", async () => {
    const { seen, fetcher } = service(() =>
      Response.json({
        name: "Lisa Ny",
        street: "Drottninggatan 20",
        postal_code: "111 51",
        city: "Stockholm",
        secret: false,
      }),
    );
    const entry = await httpDirectory("https://dir.example/v1/lookup", "key-1", fetcher).lookup(
      "+4685556666",
    );
    expect(seen[0]?.url.searchParams.get("number")).toBe("+4685556666");
    expect(seen[0]?.auth).toBe("Bearer key-1");
    expect(entry).toEqual({
      name: "Lisa Ny",
      street: "Drottninggatan 20",
      postalCode: "111 51",
      city: "Stockholm",
      secret: false,
    });
    expect(billability(entry!)).toBe("billable");
  });

  it("an unknown number is null; a secret or incomplete one is not billable", async () => {
    expect(
      await httpDirectory(
        "https://dir.example",
        "k",
        service(() => new Response(null, { status: 404 })).fetcher,
      ).lookup("+468"),
    ).toBeNull();
    const secret = await httpDirectory(
      "https://dir.example",
      "k",
      service(() => Response.json({ name: "X", secret: true })).fetcher,
    ).lookup("+468");
    expect(billability(secret!)).toBe("secret");
    const partial = await httpDirectory(
      "https://dir.example",
      "k",
      service(() => Response.json({ name: "X", street: "Vasagatan 3", city: "" })).fetcher,
    ).lookup("+468");
    expect(billability(partial!)).toBe("incomplete");
  });

  it("an outage is an error (the call retries, then refers the caller), never 'not found'", async () => {
    const down = httpDirectory(
      "https://dir.example",
      "k",
      service(() => new Response("busy", { status: 503 })).fetcher,
    );
    await expect(down.lookup("+4685556666")).rejects.toThrow(/503/);
  });
});
