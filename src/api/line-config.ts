/**
 * Per-product validation of a line's `config` JSON, by the schema each product declares in its own
 * folder (found through the product registry). The stored config is the parsed output, so
 * defaults the product declares are written once, at the API edge.
 */
import { z, type ZodType } from "zod";
import { products } from "../products/registry";
import { fieldErrorsOf, type FieldError } from "./field-messages";

/** The products lines can be created for, as the API's enum (at least one always exists). */
export const PRODUCTS = products.lineProducts().map((p) => p.name) as [string, ...string[]];
export type Product = string;

export const isProduct = (value: unknown): value is Product =>
  typeof value === "string" && products.lineProducts().some((p) => p.name === value);

export type ConfigCheck = { ok: true; config: Record<string, unknown> } | { ok: false; errors: FieldError[] };

export function checkLineConfig(product: Product, config: unknown): ConfigCheck {
  const schema = products.get(product)?.configSchema;
  if (!schema)
    return {
      ok: false,
      errors: [{ field: "product", message: `is not a product (${PRODUCTS.join(", ")})` }],
    };
  let parsed: ReturnType<typeof schema.safeParse>;
  const input = config ?? {};
  try {
    parsed = schema.safeParse(input);
  } catch {
    // A product refinement that trips over an invalid value it did not expect: still the
    // client's bad config, not a server error.
    return { ok: false, errors: [{ field: "config", message: `is not a valid ${product} configuration` }] };
  }
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error, input, "config") };
  return { ok: true, config: parsed.data as Record<string, unknown> };
}

/** "advice" → "AdviceConfig", the OpenAPI component of that product's line config. */
export const configComponentName = (product: string): string =>
  `${product.replace(/(^|[_-])([a-z])/g, (_m, _sep: string, ch: string) => ch.toUpperCase())}Config`;

/** A product's config as the JSON Schema a client sends (defaults optional), for the OpenAPI document. */
export function configJsonSchema(schema: ZodType): Record<string, unknown> {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  delete json.$schema;
  return json;
}
