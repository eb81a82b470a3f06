/**
 * Helpers for the customer register tests: Stockholm numbers from a random range (tests share one
 * database) in national and E.164 form, unique names and codes, and creating a customer.
 */
import { api, json } from "../api-helpers";

export interface CustomerJson {
  id: string;
  name: string;
  street: string | null;
  postal_code: string | null;
  city: string | null;
  country: string;
  email: string | null;
  status: "active" | "blocked" | "closed";
  credit_limit: number;
  open_balance: number;
  available_credit: number;
  price_list_id: string | null;
  discount_bp: number;
  price_per_minute: number | null;
  numbers: string[];
  has_customer_code: boolean;
  line_id: string | null;
  paid_invoices: number;
  created_at: string;
  updated_at: string;
}

export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

const randomDigits = (n: number): string =>
  [...crypto.getRandomValues(new Uint8Array(n))].map((b) => String(b % 10)).join("");

/** 08-xxxx xx xx and its E.164 form (+468 and eight random digits). */
export function stockholmNumber(): { national: string; e164: string } {
  const d = randomDigits(8);
  return { national: `08-${d.slice(0, 4)} ${d.slice(4, 6)} ${d.slice(6)}`, e164: `+468${d}` };
}

/** A name no other test uses, so a name search finds exactly what this test made. */
export const uniqueName = (stem: string): string => `${stem} ${crypto.randomUUID().slice(0, 8)}`;

/** Eight digits: long enough that they turn up nowhere else in a response by chance. */
export const uniqueCode = (): string => `9${randomDigits(7)}`;

export async function createCustomer(body: Record<string, unknown> = {}): Promise<CustomerJson> {
  const res = await api("/api/v1/customers", { method: "POST", body: { name: uniqueName("Kund"), ...body } });
  return json<CustomerJson>(res, 201);
}

export const list = async <T = CustomerJson>(path: string): Promise<Page<T>> =>
  json<Page<T>>(await api(path), 200);

/**
 * Waits until the clock has moved on, so writes before and after get different timestamps: lists
 * are newest first, and two writes in one millisecond have no order a test could rely on.
 */
export async function tick(): Promise<void> {
  const start = Date.now();
  while (Date.now() <= start + 1) await new Promise((resolve) => setTimeout(resolve, 2));
}
