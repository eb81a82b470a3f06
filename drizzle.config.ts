import { defineConfig } from "drizzle-kit";

// The engine's tables, and each product's own (a product is one folder, its schema included).
export default defineConfig({
  dialect: "turso",
  schema: ["./src/db/schema.ts", "./src/products/*/schema.ts"],
  out: "./migrations",
});
