/**
 * The address directory behind one small interface: the number-to-address services Swedish
 * operators buy (HTTP + JSON, URL and key from config), or the embedded default, a directory
 * imported by CSV into Turso. A match with a complete address and no secret flag is billable.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { addressDirectory } from "./schema";

export interface DirectoryEntry {
  name: string;
  street: string | null;
  postalCode: string | null;
  city: string | null;
  secret: boolean;
}

export interface AddressDirectory {
  lookup(number: string): Promise<DirectoryEntry | null>;
}

export type Billability = "billable" | "secret" | "incomplete";

export function billability(entry: DirectoryEntry): Billability {
  if (entry.secret) return "secret";
  return entry.name && entry.street && entry.postalCode && entry.city ? "billable" : "incomplete";
}

export function embeddedDirectory(db: Db): AddressDirectory {
  return {
    async lookup(number) {
      const [row] = await db
        .select()
        .from(addressDirectory)
        .where(eq(addressDirectory.number, number))
        .limit(1);
      return row
        ? {
            name: row.name,
            street: row.street,
            postalCode: row.postalCode,
            city: row.city,
            secret: row.secret,
          }
        : null;
    },
  };
}

/**
 * GET <url>?number=<E.164> with `Authorization: Bearer <key>`: 200 with
 * `{name, street, postal_code, city, secret}`, or 404 for an unknown number. Anything else is an
 * outage the caller's call must not be billed on (the effect retries, then refers the caller).
 */
export function httpDirectory(
  url: string,
  key: string,
  fetcher: typeof fetch = (i, init) => fetch(i, init),
): AddressDirectory {
  return {
    async lookup(number) {
      const res = await fetcher(
        `${url}${url.includes("?") ? "&" : "?"}number=${encodeURIComponent(number)}`,
        {
          headers: { authorization: `Bearer ${key}`, accept: "application/json" },
          signal: AbortSignal.timeout(5_000),
        },
      );
      if (res.status === 404) return null;
      if (!res.ok) throw new Error(`address directory answered ${res.status}`);
      const body = await res.json<Record<string, unknown>>();
      const text = (k: string) => (typeof body[k] === "string" && body[k] !== "" ? body[k] : null);
      return {
        name: text("name") ?? "",
        street: text("street"),
        postalCode: text("postal_code"),
        city: text("city"),
        secret: body.secret === true,
      };
    },
  };
}
