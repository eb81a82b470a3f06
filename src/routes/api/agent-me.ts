/**
 * GET /v1/agents/me: who an agent token belongs to (its agent, their line), so the agent console
 * can greet the agent and check a token before it follows their calls.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { scoped } from "../../api/auth";
import { createApiRouter, dbOf } from "../../api/context";
import { ProblemError, problemResponses } from "../../api/problem";
import { jsonContent as json } from "../../api/schemas";
import { agents, lines } from "../../db/schema";

const MeSchema = z
  .object({
    agent_id: z.string(),
    name: z.string(),
    line_id: z.string(),
    line_name: z.string(),
  })
  .openapi("AgentMe");

export const agentMeRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/agents/me",
    tags: ["Live calls"],
    summary: "The agent an agent token belongs to, and their line",
    ...scoped("agent"),
    responses: {
      200: { description: "The agent", content: json(MeSchema) },
      ...problemResponses(401, 403, 404),
    },
  }),
  async (c) => {
    const agentId = c.get("principal").agentId;
    if (!agentId) throw new ProblemError(403, "Forbidden", "This token belongs to no agent.");
    const [row] = await dbOf(c)
      .select({ name: agents.name, lineId: agents.lineId, lineName: lines.name })
      .from(agents)
      .innerJoin(lines, eq(lines.id, agents.lineId))
      .where(eq(agents.id, agentId))
      .limit(1);
    if (!row) throw new ProblemError(404, "Not Found", "This token's agent no longer exists.");
    return c.json({ agent_id: agentId, name: row.name, line_id: row.lineId, line_name: row.lineName }, 200);
  },
);
