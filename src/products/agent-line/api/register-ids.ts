/**
 * Ids of the customer register's rows (`cu_…` customers, `pl_…` price lists, `ar_…` articles,
 * `bl_…` blacklist entries, `nt_…` notes, `chg_…` history rows), drawn like the API's own ids.
 * Who did a write, for history and notes: the API token's id, or "admin" for the bootstrap token.
 */
import { randomBase62 } from "../../../api/ids";
import type { Principal } from "../../../api/context";

export type RegisterIdPrefix = "cu" | "pl" | "ar" | "bl" | "nt" | "chg";

export const registerId = (prefix: RegisterIdPrefix): string => `${prefix}_${randomBase62(20)}`;

export const actorOf = (principal: Principal): string => principal.tokenId ?? "admin";
