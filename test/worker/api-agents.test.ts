// A line's agents: create, list in offer order (priority, then id) with paging, read, update,
// delete; destinations must be E.164 numbers or sip: URIs; agents belong to exactly one line.
import { describe, expect, it } from "vitest";
import { api, createLine, expectProblem, json } from "./api-helpers";

interface AgentJson {
  id: string;
  line_id: string;
  name: string;
  destination: string;
  priority: number;
  status: string;
}

describe("agents", () => {
  it("creates, lists in offer order, updates and deletes", async () => {
    const line = await createLine();
    const base = `/api/v1/lines/${line.id}/agents`;
    const add = async (body: Record<string, unknown>) =>
      json<AgentJson>(await api(base, { method: "POST", body }), 201);
    const bo = await add({ name: "Bo", destination: "sip:bo@example.sip.telnyx.com", priority: 20 });
    const anna = await add({ name: "Anna", destination: "+15551230001", priority: 10 });
    const cai = await add({ name: "Cai", destination: "+15551230002" });
    expect(cai).toMatchObject({ line_id: line.id, priority: 100, status: "available" });
    expect(anna.id).toMatch(/^ag_/);

    const first = await json<{ data: AgentJson[]; next_cursor: string | null }>(
      await api(`${base}?limit=2`),
      200,
    );
    expect(first.data.map((a) => a.name)).toEqual(["Anna", "Bo"]);
    const rest = await json<{ data: AgentJson[]; next_cursor: string | null }>(
      await api(`${base}?limit=2&cursor=${first.next_cursor}`),
      200,
    );
    expect(rest).toEqual({ data: [cai], next_cursor: null });

    const updated = await json<AgentJson>(
      await api(`${base}/${bo.id}`, { method: "PATCH", body: { status: "offline", priority: 5 } }),
      200,
    );
    expect(updated).toMatchObject({ status: "offline", priority: 5, name: "Bo" });
    expect(await json(await api(`${base}/${bo.id}`), 200)).toEqual(updated);
    const offline = await json<{ data: AgentJson[] }>(await api(`${base}?status=offline`), 200);
    expect(offline.data.map((a) => a.id)).toEqual([bo.id]);

    expect((await api(`${base}/${anna.id}`, { method: "DELETE" })).status).toBe(204);
    await expectProblem(await api(`${base}/${anna.id}`), 404);
  });

  it("rejects bad destinations and fields by name", async () => {
    const line = await createLine();
    const res = await api(`/api/v1/lines/${line.id}/agents`, {
      method: "POST",
      body: { name: "X", destination: "0701234567", priority: -1, status: "busy" },
    });
    const fields = (await expectProblem(res, 422)).errors?.map((e) => e.field).sort();
    expect(fields).toEqual(["destination", "priority", "status"]);
  });

  it("keeps agents inside their line", async () => {
    const [one, two] = [await createLine(), await createLine()];
    const agent = await json<AgentJson>(
      await api(`/api/v1/lines/${one.id}/agents`, {
        method: "POST",
        body: { name: "A", destination: "+15551230003" },
      }),
      201,
    );
    await expectProblem(await api(`/api/v1/lines/${two.id}/agents/${agent.id}`), 404);
    await expectProblem(await api(`/api/v1/lines/${two.id}/agents/${agent.id}`, { method: "DELETE" }), 404);
    await expectProblem(
      await api("/api/v1/lines/ln_missing/agents", {
        method: "POST",
        body: { name: "A", destination: "+15551230003" },
      }),
      404,
    );
  });
});
