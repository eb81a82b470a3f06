/**
 * GET /v1/directory/{number}: one number in the imported (embedded) directory, with whether a
 * call from it is billable — a complete address and no secret flag, the rule calls use.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import { IsoTime, jsonContent as json, toIso } from "../../../api/schemas";
import { billability } from "../directory";
import { addressDirectory } from "../schema";
import { DIRECTORY_TAG } from "./directory-import";
import { DiallingCountry, normalisedPhone } from "./phone-input";

const DirectoryEntrySchema = z
  .object({
    number: z.string().openapi({ example: "+4681234567" }),
    name: z.string(),
    street: z.string().nullable(),
    postal_code: z.string().nullable(),
    city: z.string().nullable(),
    secret: z.boolean(),
    billable: z.boolean().openapi({ description: "A complete address and not secret: billed to it" }),
    billability: z.enum(["billable", "secret", "incomplete"]),
    imported_at: IsoTime,
  })
  .openapi("DirectoryEntry");

const LookupParams = z.object({
  number: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "number", in: "path" }, example: "%2B4681234567", description: "URL-encoded" }),
});

export const directoryLookupRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/directory/{number}",
    tags: DIRECTORY_TAG,
    summary: "Look a number up in the imported directory",
    ...scoped(...READ_SCOPES),
    request: {
      params: LookupParams,
      query: z.object({ country: DiallingCountry }).openapi({ description: "For a number in national form" }),
    },
    responses: {
      200: { description: "The entry", content: json(DirectoryEntrySchema) },
      ...problemResponses(401, 403, 404, 422),
    },
  }),
  async (c) => {
    const number = normalisedPhone(c.req.valid("param").number, c.req.valid("query").country, "number");
    const [row] = await dbOf(c)
      .select()
      .from(addressDirectory)
      .where(eq(addressDirectory.number, number))
      .limit(1);
    if (!row) throw notFoundProblem(`Number ${number} in the directory`);
    const verdict = billability(row);
    return c.json(
      {
        number: row.number,
        name: row.name,
        street: row.street,
        postal_code: row.postalCode,
        city: row.city,
        secret: row.secret,
        billable: verdict === "billable",
        billability: verdict,
        imported_at: toIso(row.importedAt),
      },
      200,
    );
  },
);
