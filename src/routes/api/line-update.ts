/**
 * What a PATCH of a line does to its config, shared by the PATCH handler and its validation hook:
 * the sent config is a JSON Merge Patch of the stored one, and the merged result is what gets
 * validated. When the body's own fields fail, the hook still merges and checks the config, so one
 * 422 names every bad field (the merge needs the stored line, hence a hook, not a schema).
 */
import type { Context } from "hono";
import type { ZodError } from "zod";
import { dbOf, type ApiEnv } from "../../api/context";
import { fieldErrorsOf } from "../../api/field-messages";
import { checkLineConfig, isProduct, type Product } from "../../api/line-config";
import { isJsonObject, mergePatch } from "../../api/merge-patch";
import { validationProblem } from "../../api/problem";
import { findLine, type LineRow } from "./line-schemas";

/**
 * The config a PATCH leads to, before validation; undefined when it leaves the config alone. The
 * sent config is a merge patch onto the stored one; on a product change onto an empty one, since
 * the old product's fields mean nothing to the new product.
 */
export function nextConfig(
  line: LineRow,
  body: { product?: unknown; config?: unknown },
): { product: Product; config: unknown } | undefined {
  const stored: Product = isProduct(line.product) ? line.product : "demo";
  const product = isProduct(body.product) ? body.product : stored;
  if (body.config === undefined && product === stored) return undefined;
  return { product, config: mergePatch(product === stored ? line.config : {}, body.config ?? {}) };
}

/** The 422 for a PATCH whose own fields failed (`raw` is its body), with the config's errors too. */
export async function refuseLineUpdate(
  error: ZodError,
  raw: unknown,
  c: Context<ApiEnv, "/lines/:lineId">,
): Promise<never> {
  const errors = fieldErrorsOf(error, raw);
  const body = isJsonObject(raw) ? raw : {};
  const configCheckable =
    (body.product === undefined || isProduct(body.product)) &&
    (body.config === undefined || isJsonObject(body.config));
  const next = configCheckable ? nextConfig(await findLine(dbOf(c), c.req.param("lineId")), body) : undefined;
  const check = next ? checkLineConfig(next.product, next.config) : undefined;
  throw validationProblem(check && !check.ok ? [...errors, ...check.errors] : errors);
}
