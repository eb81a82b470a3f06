/**
 * /v1/lines/{lineId}/agents: the roster of reps who take a line's calls. Every change tells the
 * line's LineSession to reload. Tokens with scope "agent" may change their own agent's status only.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, asc, eq, type SQL } from "drizzle-orm";
import { hasScope, MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { createApiRouter, dbOf } from "../../api/context";
import { newId } from "../../api/ids";
import { notifyRosterChanged } from "../../api/line-session";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { notFoundProblem, ProblemError, problemResponses } from "../../api/problem";
import { idParam, IsoTime, toIso, jsonContent as json, createdHeaders, locationOf } from "../../api/schemas";
import type { Db } from "../../db/client";
import { agents } from "../../db/schema";
import { findLine } from "./line-schemas";

const STATUSES = ["available", "offline"] as const;
const Destination = z
  .string()
  .regex(/^(\+[1-9]\d{1,14}|sips?:[^\s@]+@[^\s@]+)$/, "must be an E.164 number or a sip: URI")
  .openapi({ example: "sip:anna@example.sip.telnyx.com" });

const AgentSchema = z
  .object({
    id: z.string().openapi({ example: "ag_Q2w8Xn5cVb1mK9pL0sTz" }),
    line_id: z.string(),
    name: z.string(),
    destination: Destination,
    priority: z.number().int(),
    status: z.enum(STATUSES),
    created_at: IsoTime,
    updated_at: IsoTime,
  })
  .openapi("Agent");

const fields = {
  name: z.string().trim().min(1).max(120),
  destination: Destination,
  priority: z.number().int().min(0).max(10_000).openapi({ description: "Lower is offered first" }),
  status: z.enum(STATUSES),
};
const AgentCreate = z
  .object({ ...fields, priority: fields.priority.default(100), status: fields.status.default("available") })
  .strict()
  .openapi("AgentCreate");
const AgentUpdate = z.object(fields).partial().strict().openapi("AgentUpdate");

const LineParams = z.object({ lineId: idParam("lineId", "ln_4fJ9s0QbXk2mT7aLzP1c") });
const AgentParams = LineParams.extend({ agentId: idParam("agentId", "ag_Q2w8Xn5cVb1mK9pL0sTz") });

type AgentRow = typeof agents.$inferSelect;
const render = (row: AgentRow) => ({
  id: row.id,
  line_id: row.lineId,
  name: row.name,
  destination: row.destination,
  priority: row.priority,
  status: row.status,
  created_at: toIso(row.createdAt),
  updated_at: toIso(row.updatedAt),
});

async function findAgent(db: Db, lineId: string, agentId: string): Promise<AgentRow> {
  const [row] = await db
    .select()
    .from(agents)
    .where(and(eq(agents.id, agentId), eq(agents.lineId, lineId)))
    .limit(1);
  if (!row) throw notFoundProblem(`Agent ${agentId} on line ${lineId}`);
  return row;
}

const tag = ["Agents"];
export const agentsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/lines/{lineId}/agents",
      tags: tag,
      summary: "Add an agent to a line",
      ...scoped("admin", "merchant"),
      request: { params: LineParams, body: { required: true, content: json(AgentCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(AgentSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const line = await findLine(db, c.req.valid("param").lineId);
      const now = Date.now();
      const row: AgentRow = {
        id: newId("ag"),
        lineId: line.id,
        ...c.req.valid("json"),
        createdAt: now,
        updatedAt: now,
      };
      await db.insert(agents).values(row);
      await notifyRosterChanged(c.env, line.id);
      return c.json(render(row), 201, { location: locationOf(c, row.id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lines/{lineId}/agents",
      tags: tag,
      summary: "List a line's agents in the order they are offered calls",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: LineParams, query: z.object({ ...pageQuery, status: z.enum(STATUSES).optional() }) },
      responses: {
        200: { description: "A page of agents", content: json(pageOf(AgentSchema, "AgentPage")) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const line = await findLine(db, c.req.valid("param").lineId);
      const q = c.req.valid("query");
      const filters: (SQL | undefined)[] = [
        eq(agents.lineId, line.id),
        q.status === undefined ? undefined : eq(agents.status, q.status),
        afterCursor(q.cursor, agents.priority, agents.id, "asc"),
      ];
      const rows = await db
        .select()
        .from(agents)
        .where(and(...filters))
        .orderBy(asc(agents.priority), asc(agents.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.priority, r.id], render),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/lines/{lineId}/agents/{agentId}",
      tags: tag,
      summary: "Get an agent",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: AgentParams },
      responses: {
        200: { description: "The agent", content: json(AgentSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { lineId, agentId } = c.req.valid("param");
      return c.json(render(await findAgent(dbOf(c), lineId, agentId)), 200);
    },
  )
  .openapi(
    createRoute({
      method: "patch",
      path: "/lines/{lineId}/agents/{agentId}",
      tags: tag,
      summary: "Update an agent (scope agent: its own status only)",
      ...scoped("admin", "agent", "merchant"),
      request: { params: AgentParams, body: { required: true, content: json(AgentUpdate) } },
      responses: {
        200: { description: "The updated agent", content: json(AgentSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      const { lineId, agentId } = c.req.valid("param");
      // A merchant's token reaches here only for its own line (the fence), where it acts as admin.
      if (!hasScope(principal, "admin") && !hasScope(principal, "merchant")) {
        // Every agent token names its agent: it sets that agent's status, never a colleague's.
        if (principal.agentId !== agentId)
          throw new ProblemError(403, "Forbidden", "A token with scope agent may change its own agent only.");
        if (Object.keys(body).some((k) => k !== "status"))
          throw new ProblemError(
            403,
            "Forbidden",
            "A token with scope agent may change an agent's status only.",
          );
      }
      const db = dbOf(c);
      const agent = await findAgent(db, lineId, agentId);
      const updated: AgentRow = { ...agent, ...body, updatedAt: Date.now() };
      await db
        .update(agents)
        .set({ ...body, updatedAt: updated.updatedAt })
        .where(eq(agents.id, agent.id));
      await notifyRosterChanged(c.env, lineId);
      return c.json(render(updated), 200);
    },
  )
  .openapi(
    createRoute({
      method: "delete",
      path: "/lines/{lineId}/agents/{agentId}",
      tags: tag,
      summary: "Remove an agent from a line",
      ...scoped("admin", "merchant"),
      request: { params: AgentParams },
      responses: { 204: { description: "Removed" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const db = dbOf(c);
      const { lineId, agentId } = c.req.valid("param");
      const agent = await findAgent(db, lineId, agentId);
      await db.delete(agents).where(eq(agents.id, agent.id));
      await notifyRosterChanged(c.env, lineId);
      return c.body(null, 204);
    },
  );
