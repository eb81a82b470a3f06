/**
 * /v1/voicemails: messages callers left (recording URL and length), newest first. Read-only:
 * they are written when a call settles.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq, type SQL } from "drizzle-orm";
import { MERCHANT_READ_SCOPES, scoped } from "../../api/auth";
import { fenceOf, voicemailsOfMerchant } from "../../api/merchant-scope";
import { createApiRouter, dbOf } from "../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../api/paging";
import { notFoundProblem, ProblemError, problemResponses } from "../../api/problem";
import { loadConfig } from "../../config";
import { freshRecordingUrl } from "../../telnyx/recordings";
import { TelnyxError } from "../../telnyx/telnyx-client";
import { idParam, IsoTime, toIso, jsonContent as json } from "../../api/schemas";
import { voicemails } from "../../db/schema";

const VoicemailSchema = z
  .object({
    id: z.string(),
    call_id: z.string(),
    line_id: z.string(),
    caller_number: z.string(),
    /** Telnyx's link from when the message was saved: it stops working after 10 minutes. */
    recording_url: z.string(),
    /** Always works: redirects to a fresh download link for the recording. */
    recording_href: z.string(),
    duration_sec: z.number().int(),
    recorded_at: IsoTime,
  })
  .openapi("Voicemail");

type VoicemailRow = typeof voicemails.$inferSelect;
const render = (row: VoicemailRow) => ({
  id: row.id,
  call_id: row.callId,
  line_id: row.lineId,
  caller_number: row.callerNumber,
  recording_url: row.recordingUrl,
  recording_href: `/api/v1/voicemails/${row.id}/recording`,
  duration_sec: row.durationSec,
  recorded_at: toIso(row.recordedAt),
});

const tag = ["Voicemails"];

export const voicemailsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/voicemails",
      tags: tag,
      summary: "List voicemails, newest first",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { query: z.object({ ...pageQuery, line_id: z.string().max(64).optional() }) },
      responses: {
        200: { description: "A page of voicemails", content: json(pageOf(VoicemailSchema, "VoicemailPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const filters: (SQL | undefined)[] = [
        q.line_id === undefined ? undefined : eq(voicemails.lineId, q.line_id),
        fenceOf(c.get("principal"), voicemailsOfMerchant),
        afterCursor(q.cursor, voicemails.recordedAt, voicemails.id, "desc"),
      ];
      const rows = await dbOf(c)
        .select()
        .from(voicemails)
        .where(and(...filters))
        .orderBy(desc(voicemails.recordedAt), desc(voicemails.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.recordedAt, r.id], render),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/voicemails/{voicemailId}",
      tags: tag,
      summary: "Get a voicemail",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: z.object({ voicemailId: idParam("voicemailId", "vm_1") }) },
      responses: {
        200: { description: "The voicemail", content: json(VoicemailSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { voicemailId } = c.req.valid("param");
      const [row] = await dbOf(c).select().from(voicemails).where(eq(voicemails.id, voicemailId)).limit(1);
      if (!row) throw notFoundProblem(`Voicemail ${voicemailId}`);
      return c.json(render(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/voicemails/{voicemailId}/recording",
      tags: tag,
      summary: "Listen to a voicemail: redirects to a fresh, short-lived download link",
      ...scoped(...MERCHANT_READ_SCOPES),
      request: { params: z.object({ voicemailId: idParam("voicemailId", "vm_1") }) },
      responses: {
        302: { description: "Redirect to the recording (mp3) at Telnyx" },
        ...problemResponses(401, 403, 404, 502),
      },
    }),
    async (c) => {
      const { voicemailId } = c.req.valid("param");
      const [row] = await dbOf(c).select().from(voicemails).where(eq(voicemails.id, voicemailId)).limit(1);
      if (!row) throw notFoundProblem(`Voicemail ${voicemailId}`);
      const cfg = loadConfig(c.env);
      let url: string | null;
      try {
        url = await freshRecordingUrl(
          { apiBase: cfg.TELNYX_API_BASE, apiKey: cfg.TELNYX_API_KEY },
          row.callId,
        );
      } catch (err) {
        if (!(err instanceof TelnyxError)) throw err;
        throw new ProblemError(502, "Bad Gateway", "Telnyx could not be asked for the recording; try again.");
      }
      if (!url) throw notFoundProblem(`The recording of voicemail ${voicemailId}`);
      return c.redirect(url, 302);
    },
  );
