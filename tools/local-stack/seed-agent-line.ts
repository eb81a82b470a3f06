/**
 * Demo data for the invoiced agent line (product 2), so each case in the README can be played
 * from the softphone with `--from`: a Stockholm line with two agents, a basic price list, a
 * customer with two numbers, a secret number with a customer code, a blacklisted number, a
 * customer at their limit with an unpaid invoice, one with little credit left, and a directory
 * of a few Stockholm numbers (one new billable caller, one secret, one incomplete). Fixed ids and
 * ON CONFLICT DO NOTHING: a second `npm start` on the same database changes nothing.
 */
import type { InStatement } from "@libsql/client";
import { codeHash } from "../../src/products/agent-line/agent-line-env";
import type { AgentLineConfigInput } from "../../src/products/agent-line/config";
import { ocrFor } from "../../src/products/agent-line/ocr";

/** The key customer codes are hashed with locally (the Worker gets the same as CUSTOMER_CODE_KEY). */
export const LOCAL_CUSTOMER_CODE_KEY = "local-demo-customer-code-key";

export const AGENT_LINE = {
  id: "ln_agent_tarot",
  number: "+4686001000",
  name: "Stjärnklart tarot & support (invoiced)",
  agents: [
    { id: "ag_astrid", name: "Astrid", destination: "+4687001001", priority: 1 },
    { id: "ag_bengt", name: "Bengt", destination: "+4687001002", priority: 2 },
  ],
};

const config: AgentLineConfigInput = {
  currency: "sek",
  country: "SE",
  welcomeText: "Welcome to Stjärnklart, the tarot and support line.",
  customerServiceNumber: "+4686001099",
  queue: { maxWaitSec: 120 },
  startingCredit: 100_000,
  creditRaise: { perPaidInvoice: 50_000, cap: 500_000 },
  warningSec: 60,
};

/** The callers of the README's cases, by what they show. */
export const AGENT_LINE_CALLERS = {
  known: "+4681234567",
  knownSecondNumber: "+46701234567",
  newFromDirectory: "+4685556666",
  secretWithCode: "+4687654321",
  incompleteAddress: "+4689998888",
  unknown: "+4684440000",
  blacklisted: "+4681112222",
  unpaidInvoice: "+4683334444",
  littleCredit: "+4682223333",
} as const;
export const SECRET_CUSTOMER_CODE = "246810";

export async function agentLineStatements(now: number): Promise<InStatement[]> {
  const c = AGENT_LINE_CALLERS;
  const ocr = ocrFor("A", 1);
  const day = 86_400_000;
  const customer = (
    id: string,
    name: string,
    street: string | null,
    postal: string | null,
    city: string | null,
    limit: number,
    extra: { discountBp?: number; status?: string; codeHash?: string; openBalance?: number } = {},
  ) => ({
    sql: `INSERT INTO customers (id, name, street, postal_code, city, country, status, credit_limit, open_balance, price_list_id, discount_bp, code_hash, line_id, created_at, updated_at)
          VALUES (?, ?, ?, ?, ?, 'SE', ?, ?, ?, 'pl_basic', ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    args: [
      id,
      name,
      street,
      postal,
      city,
      extra.status ?? "active",
      limit,
      extra.openBalance ?? 0,
      extra.discountBp ?? 0,
      extra.codeHash ?? null,
      AGENT_LINE.id,
      now,
      now,
    ],
  });
  const number = (n: string, customerId: string) => ({
    sql: "INSERT INTO customer_numbers (number, customer_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
    args: [n, customerId, now],
  });
  const directory = (
    n: string,
    name: string,
    street: string | null,
    postal: string | null,
    city: string | null,
    secret: boolean,
  ) => ({
    sql: "INSERT INTO address_directory (number, name, street, postal_code, city, secret, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    args: [n, name, street, postal, city, secret ? 1 : 0, now],
  });
  return [
    {
      sql: `INSERT INTO lines (id, number, name, product, voice, config, active, created_at, updated_at)
            VALUES (?, ?, ?, 'agent_line', 'female', ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
      args: [AGENT_LINE.id, AGENT_LINE.number, AGENT_LINE.name, JSON.stringify(config), now, now],
    },
    ...AGENT_LINE.agents.map((a) => ({
      sql: `INSERT INTO agents (id, line_id, name, destination, priority, status, created_at, updated_at)
            VALUES (?, ?, ?, ?, ?, 'available', ?, ?) ON CONFLICT DO NOTHING`,
      args: [a.id, AGENT_LINE.id, a.name, a.destination, a.priority, now, now],
    })),
    {
      sql: "INSERT INTO price_lists (id, name, currency, is_basic, created_at) VALUES ('pl_basic', 'Basic', 'sek', 1, ?) ON CONFLICT DO NOTHING",
      args: [now],
    },
    {
      sql: `INSERT INTO articles (id, price_list_id, art_nr, description, unit_price, unit, vat_rate_bp, created_at)
            VALUES ('art_min', 'pl_basic', '100', 'Talk time, per minute', 1990, 'minute', 2500, ?),
                   ('art_conn', 'pl_basic', '200', 'Connection fee, per call', 495, 'call', 2500, ?) ON CONFLICT DO NOTHING`,
      args: [now, now],
    },
    customer("cu_anna", "Anna Lind", "Storgatan 1", "114 51", "Stockholm", 100_000, { discountBp: 1000 }),
    number(c.known, "cu_anna"),
    number(c.knownSecondNumber, "cu_anna"),
    customer("cu_sven", "Sven Hemlig", "Hornsgatan 12", "118 20", "Stockholm", 100_000, {
      codeHash: await codeHash({ CUSTOMER_CODE_KEY: LOCAL_CUSTOMER_CODE_KEY }, SECRET_CUSTOMER_CODE),
    }),
    customer("cu_bo", "Bo Svart", "Sveavägen 40", "111 34", "Stockholm", 100_000),
    number(c.blacklisted, "cu_bo"),
    {
      sql: `INSERT INTO blacklist (id, number, customer_id, category, prompt, created_by, created_at)
            VALUES ('bl_bo', ?, NULL, 'behaviour', 'of repeated abusive behaviour towards our agents', 'admin', ?) ON CONFLICT DO NOTHING`,
      args: [c.blacklisted, now],
    },
    customer("cu_karin", "Karin Full", "Götgatan 5", "116 46", "Stockholm", 50_000, { status: "blocked" }),
    number(c.unpaidInvoice, "cu_karin"),
    {
      sql: `INSERT INTO orders (id, customer_id, line_id, talk_seconds, billable_seconds, article_nr, price_per_minute, extras, amount, currency, vat_rate_bp, invoice_id, at)
            VALUES ('ord_demo_karin', 'cu_karin', ?, 1500, 1500, '100', 1990, 495, 50245, 'sek', 2500, 'inv_A1', ?) ON CONFLICT DO NOTHING`,
      args: [AGENT_LINE.id, now - 40 * day],
    },
    {
      sql: `INSERT INTO invoices (id, series, number, kind, customer_id, status, ocr, currency, created_at, sent_at, due_at, updated_at)
            VALUES ('inv_A1', 'A', 1, 'invoice', 'cu_karin', 'sent', ?, 'sek', ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      args: [ocr, now - 40 * day, now - 39 * day, now - 9 * day, now],
    },
    {
      sql: `INSERT INTO invoice_lines (id, invoice_id, seq, description, quantity_milli, unit_price, amount, vat_rate_bp, order_id)
            VALUES ('inv_A1:1', 'inv_A1', 1, 'Call, 25 min', 1000, 50245, 50245, 2500, 'ord_demo_karin') ON CONFLICT DO NOTHING`,
      args: [],
    },
    customer("cu_olle", "Olle Liten", "Ringvägen 9", "118 60", "Stockholm", 5_000),
    number(c.littleCredit, "cu_olle"),
    directory(c.known, "Anna Lind", "Storgatan 1", "114 51", "Stockholm", false),
    directory(c.newFromDirectory, "Lisa Ny", "Drottninggatan 20", "111 51", "Stockholm", false),
    directory(c.secretWithCode, "Sven Hemlig", null, null, null, true),
    directory(c.incompleteAddress, "Per Halv", "Vasagatan 3", null, "Stockholm", false),
  ];
}
