/**
 * /v1/dead-letters: commands that kept failing and were moved out of their call's outbox (a call
 * record Turso would not take, a LineSession call), listed from the DeadLetters object so the
 * list works while Turso is down; each can be retried now (it also retries on its own, hourly).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { scoped } from "../../api/auth";
import { createApiRouter } from "../../api/context";
import { notFoundProblem, problemResponses } from "../../api/problem";
import { BooleanQuery, idParam, IsoTime, toIso, toIsoOrNull, jsonContent as json } from "../../api/schemas";

const DeadLetterSchema = z
  .object({
    call_id: z.string(),
    command_id: z.string(),
    command: z.string().openapi({ example: "record_call" }),
    lane: z.string(),
    reason: z.string(),
    dead_at: IsoTime,
    resolved_at: IsoTime.nullable(),
  })
  .openapi("DeadLetter");

const tag = ["Operations"];

export const deadLettersRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/dead-letters",
      tags: tag,
      summary: "Commands that kept failing, newest first (open ones unless ?open=false)",
      ...scoped("admin"),
      request: {
        query: z.object({
          open: BooleanQuery.optional(),
          limit: z.coerce.number().int().min(1).max(500).default(100),
        }),
      },
      responses: {
        200: { description: "Dead letters", content: json(z.object({ data: z.array(DeadLetterSchema) })) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const letters = await c.env.DEAD_LETTERS.getByName("all").list({
        open: q.open ?? true,
        limit: q.limit,
      });
      return c.json(
        {
          data: letters.map((l) => ({
            call_id: l.callId,
            command_id: l.commandId,
            command: l.command,
            lane: l.lane,
            reason: l.reason,
            dead_at: toIso(l.deadAt),
            resolved_at: toIsoOrNull(l.resolvedAt),
          })),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/calls/{callId}/dead-letters/{commandId}/retry",
      tags: tag,
      summary: "Retry a dead letter now, in its call's outbox",
      ...scoped("admin"),
      request: {
        params: z.object({
          callId: idParam("callId", "428c31b6-…"),
          commandId: idParam("commandId", "sess:12:3"),
        }),
      },
      responses: { 202: { description: "Back in its call's outbox" }, ...problemResponses(401, 403, 404) },
    }),
    async (c) => {
      const { callId, commandId } = c.req.valid("param");
      const revived = await c.env.CALL_SESSION.getByName(callId).retryDeadLetter(commandId);
      if (!revived) throw notFoundProblem(`Dead letter ${commandId} of call ${callId}`);
      return c.body(null, 202);
    },
  );
