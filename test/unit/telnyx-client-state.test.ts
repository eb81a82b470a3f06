import { describe, expect, it } from "vitest";
import { decodeClientState, encodeClientState } from "../../src/telnyx/client-state";

describe("client_state", () => {
  it("round-trips session and role as base64 JSON Telnyx can carry", () => {
    const encoded = encodeClientState({ s: "sess-1", r: "agent:ag_123" });
    expect(encoded).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(JSON.parse(atob(encoded))).toEqual({ s: "sess-1", r: "agent:ag_123" });
    expect(decodeClientState(encoded)).toEqual({ s: "sess-1", r: "agent:ag_123" });
    expect(decodeClientState(encodeClientState({ s: "sess-1", r: "caller" }))).toEqual({
      s: "sess-1",
      r: "caller",
    });
  });

  it("keeps non-ASCII agent ids intact", () => {
    expect(decodeClientState(encodeClientState({ s: "s", r: "agent:åsa-öberg" }))).toEqual({
      s: "s",
      r: "agent:åsa-öberg",
    });
  });

  it("returns null for anything that is not ours", () => {
    const garbage = [
      null,
      undefined,
      "",
      "%%%not-base64",
      btoa("plain text"),
      btoa("[1,2]"),
      btoa("null"),
      btoa(JSON.stringify({ s: "sess-1" })),
      btoa(JSON.stringify({ s: "sess-1", r: "supervisor" })),
      btoa(JSON.stringify({ s: "sess-1", r: "agent:" })),
      btoa(JSON.stringify({ s: "", r: "caller" })),
      btoa("\xff\xfe"),
    ];
    for (const value of garbage) expect(decodeClientState(value)).toBeNull();
  });
});
