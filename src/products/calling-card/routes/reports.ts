/**
 * GET /v1/card-reports/margin: for card calls that connected and ended in [from, to], grouped by
 * destination, batch or UTC day: calls, minutes billed, revenue (what cards paid, minor units),
 * cost at the decks' buy rates and Telnyx's own cost where call.cost reported it (micro-units),
 * and the margin (revenue − cost, micro-units), per currency — never converted.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { problemResponses, validationProblem } from "../../../api/problem";
import { DateOnly, endOf, jsonContent as json, startOf } from "../../../api/schemas";
import { marginRows } from "../db/margins";

const Row = z.object({
  key: z.string().openapi({ description: "The destination (prefix and name), batch id or date" }),
  currency: z.string(),
  calls: z.number().int(),
  billed_minutes: z.number(),
  revenue: z.number().int().openapi({ description: "Minor units" }),
  cost_micros: z.number().int(),
  margin_micros: z.number().int(),
  margin_percent: z.number().nullable(),
  telnyx_cost_micros: z
    .number()
    .int()
    .nullable()
    .openapi({ description: "Telnyx's own cost (its currency), when reported" }),
});

export const cardReportsRouter = createApiRouter().openapi(
  createRoute({
    method: "get",
    path: "/card-reports/margin",
    tags: ["Calling cards"],
    summary: "Revenue, cost and margin of card calls by destination, batch or day",
    ...scoped(...READ_SCOPES),
    request: {
      query: z.object({
        from: DateOnly,
        to: DateOnly,
        group_by: z.enum(["destination", "batch", "day"]).default("destination"),
      }),
    },
    responses: {
      200: {
        description: "The report",
        content: json(
          z
            .object({ from: z.string(), to: z.string(), group_by: z.string(), rows: z.array(Row) })
            .openapi("CardMarginReport"),
        ),
      },
      ...problemResponses(401, 403, 422),
    },
  }),
  async (c) => {
    const q = c.req.valid("query");
    const start = startOf(q.from);
    const end = endOf(q.to);
    if (end <= start) throw validationProblem([{ field: "to", message: "must not be before from" }]);
    const rows = await marginRows(dbOf(c).$client, q.group_by, start, end);
    return c.json({ from: q.from, to: q.to, group_by: q.group_by, rows }, 200);
  },
);
