/**
 * /v1/card-plans: subscription plans for calling cards — a long billing period, the rate deck
 * that rates their cards, prepaid packages (free seconds per period to a destination group, used
 * before the balance) and charges (per period, once at activation, per connected call). On-demand
 * plans are refused: they are for call shops, and a card on one would never be charged its fees.
 */
import { createRoute, z } from "@hono/zod-openapi";
import { desc, eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../../api/paging";
import { notFoundProblem, problemResponses, validationProblem } from "../../../api/problem";
import {
  createdHeaders,
  idParam,
  IsoTime,
  jsonContent as json,
  locationOf,
  toIso,
} from "../../../api/schemas";
import { isUniqueViolation } from "../../../api/sql-errors";
import type { Db } from "../../../db/client";
import { cardCharges, cardPackages, cardPlans } from "../schema";
import { conflict, Currency, Minor, newCardId } from "./card-api";

const Package = z.object({
  name: z.string().trim().min(1).max(100),
  prefixes: z
    .array(z.string().regex(/^\d{1,15}$/, "must be digits, like 44 or 1212"))
    .min(1)
    .max(100),
  free_minutes: z.int().min(1).max(100_000),
});
const Charge = z.object({
  kind: z.enum(["recurring", "one_time", "connection"]).openapi({
    description:
      "recurring: every billing period after the first; one_time: once, at activation; connection: per connected call",
  }),
  name: z.string().trim().min(1).max(100),
  amount: Minor.min(1),
});
const PlanCreate = z
  .object({
    name: z.string().trim().min(1).max(120),
    type: z.enum(["subscription", "on_demand"]).default("subscription"),
    currency: Currency,
    billing_period: z.object({
      unit: z.enum(["day", "week", "month", "year"]),
      count: z.int().min(1).max(120),
    }),
    rate_deck: z.string().regex(/^[a-z0-9_-]{1,60}$/, "must be a deck name: a-z, 0-9, _ and -"),
    packages: z.array(Package.strict()).max(20).default([]),
    charges: z.array(Charge.strict()).max(20).default([]),
  })
  .strict()
  .openapi("CardPlanCreate");

const PlanSchema = z
  .object({
    id: z.string().openapi({ example: "pl_3kT9vQ2xL8mN1pR5" }),
    name: z.string(),
    type: z.literal("subscription"),
    currency: z.string(),
    billing_period: z.object({ unit: z.string(), count: z.number().int() }),
    rate_deck: z.string(),
    packages: z.array(Package.extend({ id: z.string() })),
    charges: z.array(Charge.extend({ id: z.string() })),
    created_at: IsoTime,
  })
  .openapi("CardPlan");

type PlanRow = typeof cardPlans.$inferSelect;

export async function findPlan(db: Db, planId: string): Promise<PlanRow> {
  const [row] = await db.select().from(cardPlans).where(eq(cardPlans.id, planId)).limit(1);
  if (!row) throw notFoundProblem(`Plan ${planId}`);
  return row;
}

async function renderPlan(db: Db, plan: PlanRow) {
  const packages = await db.select().from(cardPackages).where(eq(cardPackages.planId, plan.id));
  const charges = await db.select().from(cardCharges).where(eq(cardCharges.planId, plan.id));
  return {
    id: plan.id,
    name: plan.name,
    type: "subscription" as const,
    currency: plan.currency,
    billing_period: { unit: plan.periodUnit, count: plan.periodCount },
    rate_deck: plan.rateDeck,
    packages: packages.map((p) => ({
      id: p.id,
      name: p.name,
      prefixes: p.prefixes,
      free_minutes: p.freeSeconds / 60,
    })),
    charges: charges.map((c) => ({ id: c.id, kind: c.kind, name: c.name, amount: c.amount })),
    created_at: toIso(plan.createdAt),
  };
}

const tag = ["Calling cards"];
const PlanParams = z.object({ planId: idParam("planId", "pl_3kT9vQ2xL8mN1pR5") });

export const plansRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "post",
      path: "/card-plans",
      tags: tag,
      summary: "Create a subscription plan for calling cards (with its packages and charges)",
      ...scoped("admin"),
      request: { body: { required: true, content: json(PlanCreate) } },
      responses: {
        201: { description: "Created", headers: createdHeaders, content: json(PlanSchema) },
        ...problemResponses(401, 403, 409, 422),
      },
    }),
    async (c) => {
      const body = c.req.valid("json");
      if (body.type === "on_demand")
        throw validationProblem([
          {
            field: "type",
            message: "must be subscription: on-demand plans are for call shops, never for calling cards",
          },
        ]);
      const db = dbOf(c);
      const id = newCardId("pl");
      const plan = {
        id,
        name: body.name,
        currency: body.currency,
        periodUnit: body.billing_period.unit,
        periodCount: body.billing_period.count,
        rateDeck: body.rate_deck,
        createdAt: Date.now(),
      };
      try {
        await db.batch([
          db.insert(cardPlans).values(plan),
          ...body.packages.map((p) =>
            db.insert(cardPackages).values({
              id: newCardId("pk"),
              planId: id,
              name: p.name,
              prefixes: p.prefixes,
              freeSeconds: p.free_minutes * 60,
            }),
          ),
          ...body.charges.map((ch) =>
            db
              .insert(cardCharges)
              .values({ id: newCardId("ch"), planId: id, kind: ch.kind, name: ch.name, amount: ch.amount }),
          ),
        ]);
      } catch (err) {
        if (isUniqueViolation(err, "cc_plans.name"))
          throw conflict(`A plan named "${body.name}" already exists.`);
        throw err;
      }
      return c.json(await renderPlan(db, plan), 201, { location: locationOf(c, id) });
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/card-plans",
      tags: tag,
      summary: "List calling-card plans, newest first",
      ...scoped(...READ_SCOPES),
      request: { query: z.object(pageQuery) },
      responses: {
        200: { description: "A page of plans", content: json(pageOf(PlanSchema, "CardPlanPage")) },
        ...problemResponses(401, 403, 422),
      },
    }),
    async (c) => {
      const q = c.req.valid("query");
      const db = dbOf(c);
      const rows = await db
        .select()
        .from(cardPlans)
        .where(afterCursor(q.cursor, cardPlans.createdAt, cardPlans.id, "desc"))
        .orderBy(desc(cardPlans.createdAt), desc(cardPlans.id))
        .limit(q.limit + 1);
      const page = toPage(
        rows,
        q.limit,
        (r) => [r.createdAt, r.id],
        (r) => r,
      );
      return c.json(
        { data: await Promise.all(page.data.map((p) => renderPlan(db, p))), next_cursor: page.next_cursor },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/card-plans/{planId}",
      tags: tag,
      summary: "Get a calling-card plan",
      ...scoped(...READ_SCOPES),
      request: { params: PlanParams },
      responses: {
        200: { description: "The plan", content: json(PlanSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      return c.json(await renderPlan(db, await findPlan(db, c.req.valid("param").planId)), 200);
    },
  );
