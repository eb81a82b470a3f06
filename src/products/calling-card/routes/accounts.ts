/**
 * /v1/card-accounts: the account a card opened on first use — balance, what is reserved by calls
 * now, expiry — its ledger (every credit and debit with its reason and call, newest first), and
 * manual credits and debits with a reason (an Idempotency-Key makes a retry safe).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { READ_SCOPES, scoped } from "../../../api/auth";
import { createApiRouter, dbOf } from "../../../api/context";
import { afterCursor, pageOf, pageQuery, toPage } from "../../../api/paging";
import { notFoundProblem, problemResponses } from "../../../api/problem";
import { createdHeaders, idParam, IsoTime, jsonContent as json, toIso } from "../../../api/schemas";
import type { Db } from "../../../db/client";
import { cardAccounts, cardLedger } from "../schema";
import { adjust } from "../db/adjustments";
import { conflict, Minor } from "./card-api";

const tag = ["Calling cards"];
const AccountParams = z.object({ accountId: idParam("accountId", "ac_Xk2mQ9vL3pT8nR0w") });

const AccountSchema = z
  .object({
    id: z.string(),
    pin_id: z.number().int(),
    batch_id: z.string(),
    currency: z.string(),
    balance: z.number().int(),
    reserved: z.number().int().openapi({ description: "Held by calls in progress" }),
    available: z.number().int(),
    calls_in_progress: z.number().int(),
    activated_at: IsoTime,
    expires_at: IsoTime,
  })
  .openapi("CardAccount");

const LedgerEntry = z
  .object({
    id: z.string(),
    at: IsoTime,
    amount: z.number().int().openapi({ description: "Minor units: + credit, − debit (tax included)" }),
    tax_amount: z.number().int(),
    reason: z.string(),
    note: z.string().nullable(),
    call_id: z.string().nullable(),
    balance_after: z.number().int(),
  })
  .openapi("CardLedgerEntry");

type LedgerRow = typeof cardLedger.$inferSelect;
const renderEntry = (r: LedgerRow) => ({
  id: r.id,
  at: toIso(r.at),
  amount: r.amount,
  tax_amount: r.taxAmount,
  reason: r.reason,
  note: r.note,
  call_id: r.callId,
  balance_after: r.balanceAfter,
});

async function findAccount(db: Db, id: string) {
  const [row] = await db.select().from(cardAccounts).where(eq(cardAccounts.id, id)).limit(1);
  if (!row) throw notFoundProblem(`Card account ${id}`);
  return row;
}

export const accountsRouter = createApiRouter()
  .openapi(
    createRoute({
      method: "get",
      path: "/card-accounts/{accountId}",
      tags: tag,
      summary: "Get a card's account: balance, reserved, available, expiry",
      ...scoped(...READ_SCOPES),
      request: { params: AccountParams },
      responses: {
        200: { description: "The account", content: json(AccountSchema) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const a = await findAccount(dbOf(c), c.req.valid("param").accountId);
      return c.json(
        {
          id: a.id,
          pin_id: a.pinId,
          batch_id: a.batchId,
          currency: a.currency,
          balance: a.balance,
          reserved: a.reserved,
          available: a.balance - a.reserved,
          calls_in_progress: a.holds,
          activated_at: toIso(a.activatedAt),
          expires_at: toIso(a.expiresAt),
        },
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/card-accounts/{accountId}/ledger",
      tags: tag,
      summary: "A card account's ledger, newest first",
      ...scoped(...READ_SCOPES),
      request: { params: AccountParams, query: z.object(pageQuery) },
      responses: {
        200: { description: "A page of entries", content: json(pageOf(LedgerEntry, "CardLedgerPage")) },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const account = await findAccount(db, c.req.valid("param").accountId);
      const q = c.req.valid("query");
      const rows = await db
        .select()
        .from(cardLedger)
        .where(
          and(
            eq(cardLedger.accountId, account.id),
            afterCursor(q.cursor, cardLedger.at, cardLedger.id, "desc"),
          ),
        )
        .orderBy(desc(cardLedger.at), desc(cardLedger.id))
        .limit(q.limit + 1);
      return c.json(
        toPage(rows, q.limit, (r) => [r.at, r.id], renderEntry),
        200,
      );
    },
  )
  .openapi(
    createRoute({
      method: "get",
      path: "/card-accounts/{accountId}/ledger/{entryId}",
      tags: tag,
      summary: "One ledger entry",
      ...scoped(...READ_SCOPES),
      request: {
        params: AccountParams.extend({ entryId: idParam("entryId", "ac_Xk2mQ9vL3pT8nR0w:activation") }),
      },
      responses: {
        200: { description: "The entry", content: json(LedgerEntry) },
        ...problemResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const { accountId, entryId } = c.req.valid("param");
      const [entry] = await dbOf(c)
        .select()
        .from(cardLedger)
        .where(and(eq(cardLedger.accountId, accountId), eq(cardLedger.id, entryId)))
        .limit(1);
      if (!entry) throw notFoundProblem(`Ledger entry ${entryId}`);
      return c.json(renderEntry(entry), 200);
    },
  )
  .openapi(
    createRoute({
      method: "post",
      path: "/card-accounts/{accountId}/adjustments",
      tags: tag,
      summary: "Credit or debit a card account by hand, with a reason",
      ...scoped("admin"),
      request: {
        params: AccountParams,
        headers: z.object({ "idempotency-key": z.string().min(8).max(200).optional() }),
        body: {
          required: true,
          content: json(
            z
              .object({
                kind: z.enum(["credit", "debit"]),
                amount: Minor.min(1),
                reason: z.string().trim().min(3).max(300),
              })
              .strict()
              .openapi("CardAdjustment"),
          ),
        },
      },
      responses: {
        201: { description: "The ledger entry", headers: createdHeaders, content: json(LedgerEntry) },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    async (c) => {
      const db = dbOf(c);
      const account = await findAccount(db, c.req.valid("param").accountId);
      const body = c.req.valid("json");
      const idem = c.req.valid("header")["idempotency-key"];
      const key = `${account.id}:manual:${idem ?? crypto.randomUUID()}`;
      const after = await adjust(db.$client, { key, accountId: account.id, ...body }, Date.now());
      if (after === null)
        throw conflict(`The account has less than ${body.amount} available; nothing was debited.`);
      const [entry] = await db.select().from(cardLedger).where(eq(cardLedger.id, key)).limit(1);
      if (!entry) throw conflict("The adjustment could not be recorded.");
      return c.json(renderEntry(entry), 201, {
        location: `${new URL(c.req.url).pathname.replace(/\/adjustments$/, "")}/ledger/${encodeURIComponent(entry.id)}`,
      });
    },
  );
