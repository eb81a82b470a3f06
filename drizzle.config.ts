import { defineConfig } from "drizzle-kit";

// The engine's tables, each product's own (a product is one folder, its schema included), and
// the secure-payments capability's (it serves every product with an agent).
export default defineConfig({
  dialect: "turso",
  schema: ["./src/db/schema.ts", "./src/products/*/schema.ts", "./src/secure-payments/schema.ts"],
  out: "./migrations",
});
