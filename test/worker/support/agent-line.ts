/**
 * Agent-line test data in the real libSQL database and the caller's usual steps: a line with its
 * agents and its own price list, customers with numbers (unique Stockholm numbers per test: every
 * test file shares the database), a customer code, blacklist entries, directory rows.
 */
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import type { AgentLineConfigInput } from "../../../src/products/agent-line/config";
import { agentLineEnv, codeHash } from "../../../src/products/agent-line/agent-line-env";
import {
  addressDirectory,
  articles,
  blacklist,
  creditReservations,
  customerNumbers,
  customers,
  invoices,
  orders,
  priceLists,
} from "../../../src/products/agent-line/schema";
import { TestCall } from "./call";
import { db, seedLine, type SeededLine } from "./seed";

/** A Stockholm number no other test uses (08 + 7 random digits). */
export function stockholmNumber(): string {
  const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
  return `+468${String(n % 10_000_000).padStart(7, "0")}`;
}

/** Four capital letters: an invoice series of this test's own, so its numbering is its own. */
export function uniqueSeries(): string {
  return [...crypto.getRandomValues(new Uint8Array(4))]
    .map((b) => String.fromCharCode(65 + (b % 26)))
    .join("");
}

export interface AgentLineFixture extends SeededLine {
  priceListId: string;
  config: AgentLineConfigInput;
}

/** 19.90 SEK a minute and a 4.95 SEK connection fee, on the line's own price list. */
export async function agentLineFixture(
  config: Partial<AgentLineConfigInput> = {},
  agents = 1,
): Promise<AgentLineFixture> {
  const priceListId = `pl_t_${crypto.randomUUID().slice(0, 12)}`;
  await db()
    .insert(priceLists)
    .values({ id: priceListId, name: `test ${priceListId}` });
  await db()
    .insert(articles)
    .values([
      {
        id: `${priceListId}:min`,
        priceListId,
        artNr: "100",
        description: "Talk time",
        unitPrice: 1990,
        unit: "minute",
      },
      {
        id: `${priceListId}:call`,
        priceListId,
        artNr: "200",
        description: "Connection fee",
        unitPrice: 495,
        unit: "call",
      },
    ]);
  const full: AgentLineConfigInput = {
    welcomeText: "Welcome to Stjärnklart.",
    invoiceSeries: uniqueSeries(),
    basicPriceListId: priceListId,
    ...config,
  };
  const line = await seedLine(
    "agent_line",
    full,
    Array.from({ length: agents }, () => ({})),
  );
  return { ...line, priceListId, config: full };
}

/** A customer code no other test uses; never starting with 0, so "0…" codes are always wrong. */
export function uniqueCode(): string {
  const [n = 0] = crypto.getRandomValues(new Uint32Array(1));
  return String(100_000 + (n % 900_000));
}

export interface CustomerSeed {
  numbers?: string[];
  creditLimit?: number;
  code?: string;
  status?: "active" | "blocked" | "closed";
  discountBp?: number;
  openBalance?: number;
}

export async function seedCustomer(fx: AgentLineFixture, seed: CustomerSeed = {}) {
  const id = `cu_t_${crypto.randomUUID().slice(0, 12)}`;
  const numbers = seed.numbers ?? [stockholmNumber()];
  await db()
    .insert(customers)
    .values({
      id,
      name: `Customer ${id}`,
      street: "Storgatan 1",
      postalCode: "114 51",
      city: "Stockholm",
      creditLimit: seed.creditLimit ?? 100_000,
      openBalance: seed.openBalance ?? 0,
      status: seed.status ?? "active",
      priceListId: fx.priceListId,
      discountBp: seed.discountBp ?? 0,
      codeHash: seed.code ? await codeHash(agentLineEnv(env), seed.code) : null,
      lineId: fx.id,
      updatedAt: Date.now(),
    });
  if (numbers.length)
    await db()
      .insert(customerNumbers)
      .values(numbers.map((number) => ({ number, customerId: id })));
  return { id, numbers, number: numbers[0] ?? "" };
}

export async function blacklistNumber(number: string, prompt: string) {
  await db()
    .insert(blacklist)
    .values({
      id: `bl_t_${crypto.randomUUID()}`,
      number,
      category: "behaviour",
      prompt,
      createdBy: "test",
      createdAt: Date.now(),
    });
}

export async function blacklistCustomer(customerId: string, prompt: string) {
  await db()
    .insert(blacklist)
    .values({
      id: `bl_t_${crypto.randomUUID()}`,
      customerId,
      category: "financial",
      prompt,
      createdBy: "test",
      createdAt: Date.now(),
    });
}

export async function directoryEntry(
  number: string,
  entry: { street?: string | null; secret?: boolean; name?: string } = {},
) {
  await db()
    .insert(addressDirectory)
    .values({
      number,
      name: entry.name ?? "Lisa Ny",
      street: entry.street === undefined ? "Drottninggatan 20" : entry.street,
      postalCode: "111 51",
      city: "Stockholm",
      secret: entry.secret ?? false,
      importedAt: Date.now(),
    });
}

export async function customerRow(id: string) {
  return (await db().select().from(customers).where(eq(customers.id, id)))[0]!;
}

export async function customerOf(number: string) {
  const [row] = await db()
    .select({ id: customerNumbers.customerId })
    .from(customerNumbers)
    .where(eq(customerNumbers.number, number));
  return row ? customerRow(row.id) : null;
}

export const ordersOf = (customerId: string) =>
  db().select().from(orders).where(eq(orders.customerId, customerId));
export const invoicesOf = (customerId: string) =>
  db().select().from(invoices).where(eq(invoices.customerId, customerId));
export const activeReservations = (customerId: string) =>
  db()
    .select()
    .from(creditReservations)
    .where(and(eq(creditReservations.customerId, customerId), eq(creditReservations.status, "active")));

/** Dials in, hears the welcome to its end: the caller is being identified (and maybe reserved). */
export async function dialIn(fx: AgentLineFixture, from: string): Promise<TestCall> {
  const call = new TestCall(from, fx.number);
  await call.start();
  await call.answered();
  call.advance(3_000);
  await call.speakEnded();
  return call;
}
