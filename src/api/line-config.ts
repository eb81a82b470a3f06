/**
 * Per-product validation of a line's `config` JSON: "demo" takes an empty object, "advice" takes
 * the advice product's own schema (owned by src/products/advice). The stored config is the parsed
 * output, so defaults the product declares are written once, at the API edge.
 */
import { z } from "@hono/zod-openapi";
import { adviceConfigSchema } from "../products/advice/config";
import { fieldErrorsOf, type FieldError } from "./field-messages";

export const PRODUCTS = ["demo", "advice"] as const;
export type Product = (typeof PRODUCTS)[number];

const configSchemas: Record<Product, z.ZodType> = {
  demo: z.object({}).strict(),
  advice: adviceConfigSchema,
};

export const isProduct = (value: unknown): value is Product => PRODUCTS.includes(value as Product);

export type ConfigCheck = { ok: true; config: Record<string, unknown> } | { ok: false; errors: FieldError[] };

export function checkLineConfig(product: Product, config: unknown): ConfigCheck {
  let parsed: ReturnType<z.ZodType["safeParse"]>;
  const input = config ?? {};
  try {
    parsed = configSchemas[product].safeParse(input);
  } catch {
    // A product refinement that trips over an invalid value it did not expect: still the
    // client's bad config, not a server error.
    return { ok: false, errors: [{ field: "config", message: `is not a valid ${product} configuration` }] };
  }
  if (!parsed.success) return { ok: false, errors: fieldErrorsOf(parsed.error, input, "config") };
  return { ok: true, config: parsed.data as Record<string, unknown> };
}

/** The advice schema, for the OpenAPI components (documentation only). */
export const adviceConfigForDocs = adviceConfigSchema;
