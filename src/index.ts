import { Hono } from "hono";
export { CallSession } from "../durable-objects/call-session";
export { LineSession } from "../durable-objects/line-session";

const app = new Hono<{ Bindings: Env }>();
app.get("/health", (c) => c.json({ ok: true }));
export default app;
