/**
 * The products the system knows, by name: the shell finds a line's flow here, the API its config
 * schema and routes, the effect registry every capability. Registering a product is one line.
 */
import type { Capability } from "./effect";
import type { ProductModule } from "./product";

export interface ProductRegistry {
  get(name: string): ProductModule | undefined;
  all(): readonly ProductModule[];
  /** Products whose lines can be created through the API. */
  lineProducts(): readonly ProductModule[];
  capabilities(): Capability[];
  /** Adds a product (tests add skeleton products this way); a second product of one name is refused. */
  register(product: ProductModule): void;
}

export function createProductRegistry(initial: readonly ProductModule[]): ProductRegistry {
  const products = new Map<string, ProductModule>();
  const registry: ProductRegistry = {
    get: (name) => products.get(name),
    all: () => [...products.values()],
    lineProducts: () => [...products.values()].filter((p) => p.lineProduct),
    capabilities: () => [...products.values()].flatMap((p) => p.capabilities),
    register(product) {
      if (products.has(product.name)) throw new Error(`product ${product.name} is registered twice`);
      const taken = new Set([
        "telnyx",
        "stripe",
        ...[...products.values()].flatMap((p) => (p.webhooks ?? []).map((w) => w.path)),
      ]);
      for (const hook of product.webhooks ?? [])
        if (!/^[a-z][a-z0-9-]*$/.test(hook.path) || taken.has(hook.path))
          throw new Error(
            `product ${product.name}: webhook path /webhooks/${hook.path} is malformed or taken`,
          );
      products.set(product.name, product);
    },
  };
  for (const product of initial) registry.register(product);
  return registry;
}
