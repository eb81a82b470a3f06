/**
 * /v1/rate-decks/{deck}: import a deck version from CSV (errors by line; nothing imported unless
 * every line is good), list versions, and ask which rate applies to a number now. A version is
 * written under status "importing" and made "ready" in one final update: from its valid-from time
 * it replaces the previous version atomically (calls read the latest ready version ≤ now).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import { createdHeaders, E164, IsoTime, jsonContent as json, toIso, toIsoOrNull } from "../../../api/schemas";
import { rateDeckVersions } from "../schema";
import { currentVersion, rateTableFor } from "../rating/deck-cache";
import { parseDeckCsv } from "../rating/deck-csv";
import { csvBody, csvProblem, Currency, DateInput, newCardId, toMs } from "./card-api";
import { microsToDecimal } from "./csv-rows";

const tag = ["Calling cards"];
const DeckParams = z.object({
  deck: z
    .string()
    .regex(/^[a-z0-9_-]{1,60}$/, "must be a deck name: a-z, 0-9, _ and -")
    .openapi({ param: { name: "deck", in: "path" }, example: "standard-usd" }),
});
const ROWS_PER_STATEMENT = 100;

const VersionSchema = z
  .object({
    id: z.string(),
    deck: z.string(),
    currency: z.string(),
    valid_from: IsoTime,
    status: z.enum(["importing", "ready"]),
    rows: z.number().int(),
    created_at: IsoTime,
  })
  .openapi("RateDeckVersion");

type VersionRow = typeof rateDeckVersions.$inferSelect;
const renderVersion = (v: VersionRow) => ({
  id: v.id,
  deck: v.deck,
  currency: v.currency,
  valid_from: toIso(v.validFrom),
  status: v.status,
  rows: v.rowCount,
  created_at: toIso(v.createdAt),
});

const micros = microsToDecimal;

export const decksRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/rate-decks/{deck}/versions",
      tags: tag,
      summary: "Import a rate deck version from CSV; it takes over at valid_from",
      ...scoped("admin"),
      request: {
        params: DeckParams,
        query: z.object({ currency: Currency, valid_from: DateInput.optional() }),
        body: { required: true, content: { "text/csv": { schema: z.string() } } },
      },
      responses: {
        201: { description: "Imported and ready", headers: createdHeaders, content: json(VersionSchema) },
        ...problemResponses(401, 403, 415, 422),
      },
    }),
    async (c) => {
      const { deck } = c.req.valid("param");
      const q = c.req.valid("query");
      const parsed = parseDeckCsv(await csvBody(c.req));
      if (parsed.errors.length) throw csvProblem(parsed.errors);
      const db = dbOf(c);
      const now = Date.now();
      const version: VersionRow = {
        id: newCardId("rd"),
        deck,
        currency: q.currency,
        validFrom: q.valid_from ? toMs(q.valid_from) : now,
        status: "importing",
        rowCount: parsed.rows.length,
        createdAt: now,
      };
      await db.insert(rateDeckVersions).values(version);
      const statements = [];
      for (let i = 0; i < parsed.rows.length; i += ROWS_PER_STATEMENT) {
        const part = parsed.rows.slice(i, i + ROWS_PER_STATEMENT);
        statements.push({
          sql: `INSERT INTO cc_rates (version_id, line, prefix, destination, sell_rate, buy_rate, first_block_sec, step_sec,
                  connect_fee, valid_from, valid_to) VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
          args: part.flatMap((r) => [
            version.id,
            r.line,
            r.prefix,
            r.destination,
            r.sellRate,
            r.buyRate,
            r.firstBlockSec,
            r.stepSec,
            r.connectFee,
            r.validFrom,
            r.validTo,
          ]),
        });
      }
      for (let i = 0; i < statements.length; i += 20)
        await db.$client.batch(statements.slice(i, i + 20), "write");
      await db.update(rateDeckVersions).set({ status: "ready" }).where(eq(rateDeckVersions.id, version.id));
      return c.json(renderVersion({ ...version, status: "ready" }), 201, {
        location: `${new URL(c.req.url).pathname}/${version.id}`,
      });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/rate-decks/{deck}/versions",
      tags: tag,
      summary: "A deck's versions, latest valid_from first",
      ...scoped(...READ_SCOPES),
      request: { params: DeckParams },
      responses: {
        200: { description: "The versions", content: json(z.object({ data: z.array(VersionSchema) })) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const rows = await dbOf(c)
        .select()
        .from(rateDeckVersions)
        .where(eq(rateDeckVersions.deck, c.req.valid("param").deck))
        .orderBy(desc(rateDeckVersions.validFrom), desc(rateDeckVersions.createdAt));
      return c.json({ data: rows.map(renderVersion) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/rate-decks/{deck}/versions/{versionId}",
      tags: tag,
      summary: "One deck version",
      ...scoped(...READ_SCOPES),
      request: {
        params: DeckParams.extend({
          versionId: z
            .string()
            .min(1)
            .max(60)
            .openapi({ param: { name: "versionId", in: "path" } }),
        }),
      },
      responses: {
        200: { description: "The version", content: json(VersionSchema) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { deck, versionId } = c.req.valid("param");
      const [row] = await dbOf(c)
        .select()
        .from(rateDeckVersions)
        .where(and(eq(rateDeckVersions.deck, deck), eq(rateDeckVersions.id, versionId)))
        .limit(1);
      if (!row) throw notFoundProblem(`Version ${versionId} of deck ${deck}`);
      return c.json(renderVersion(row), 200);
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/rate-decks/{deck}/rate",
      tags: tag,
      summary: "The rate that applies to a number (longest prefix of the deck's current version)",
      ...scoped(...READ_SCOPES),
      request: { params: DeckParams, query: z.object({ number: E164 }) },
      responses: {
        200: {
          description: "The matching rate; amounts as decimals per minute",
          content: json(
            z.object({
              version_id: z.string(),
              prefix: z.string(),
              destination: z.string(),
              currency: z.string(),
              sell_rate: z.string(),
              buy_rate: z.string(),
              first_block: z.number().int(),
              increment: z.number().int(),
              connect_fee: z.string(),
              valid_from: IsoTime.nullable(),
              valid_to: IsoTime.nullable(),
            }),
          ),
        },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const { deck } = c.req.valid("param");
      const { number } = c.req.valid("query");
      const client = dbOf(c).$client;
      const now = Date.now();
      const version = await currentVersion(client, deck, now);
      if (!version) throw notFoundProblem(`A ready version of deck ${deck}`);
      const row = (await rateTableFor(client, version)).lookup(number.slice(1), now);
      if (!row) throw notFoundProblem(`A rate for ${number} in deck ${deck}`);
      return c.json(
        {
          version_id: version.id,
          prefix: row.prefix,
          destination: row.destination,
          currency: version.currency,
          sell_rate: micros(row.sellRate),
          buy_rate: micros(row.buyRate),
          first_block: row.firstBlockSec,
          increment: row.stepSec,
          connect_fee: micros(row.connectFee),
          valid_from: toIsoOrNull(row.validFrom),
          valid_to: toIsoOrNull(row.validTo),
        },
        200,
      );
    },
  );
