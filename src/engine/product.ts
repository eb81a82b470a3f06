/**
 * What a product is to the rest of the system: its flow, its line config schema, the capabilities
 * its commands need, its API routes and the webhooks it receives. Adding a product is its folder, one line in
 * src/products/registry.ts, and its migration.
 */
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Hono } from "hono";
import type { z } from "zod";
import type { ApiEnv } from "../api/context";
import type { Flow, LineInfo, Tagged, TaggedEvent } from "../ivr/types";
import type { Capability } from "./effect";

/** A flow as the shell holds it: any state, raw config (parsed by the product), any vocabulary. */
export type AnyFlow = Flow<unknown, unknown, Tagged, TaggedEvent>;

export interface ProductModule {
  /** The `lines.product` value, e.g. "advice". */
  name: string;
  /** One line for the API docs. */
  summary: string;
  flow: AnyFlow;
  /** The line's config, validated at the API edge; its parsed output is what is stored. */
  configSchema: z.ZodType;
  /** Whether lines of this product can be created through the API (not-in-service cannot). */
  lineProduct: boolean;
  capabilities: Capability[];
  /** The product's own API routes, mounted under /api/v1. */
  routes?: OpenAPIHono<ApiEnv>[];
  /**
   * Webhooks other services send the product, mounted at /webhooks/<path>: outside the API's
   * bearer tokens, so each checks its sender's signature itself.
   */
  webhooks?: { path: string; app: Hono<{ Bindings: Env }> }[];
  /** Work for the Worker's cron trigger (wrangler.toml [triggers]); must be safe to run twice. */
  scheduled?(env: Env, at: number): Promise<void>;
}

/**
 * Erases a typed flow for the shell: it accepts raw config (parsed once per config object) and
 * is only ever handed back states it produced.
 */
export function eraseFlow<S, C, Cmd extends Tagged, Ev extends TaggedEvent>(
  flow: Flow<S, C, Cmd, Ev>,
  parse: (raw: unknown) => C,
): AnyFlow {
  const cache = new WeakMap<object, C>();
  const typedLine = (line: LineInfo): LineInfo<C> => {
    const raw = line.config;
    let config = raw !== null && typeof raw === "object" ? cache.get(raw) : undefined;
    if (config === undefined) {
      config = parse(raw);
      if (raw !== null && typeof raw === "object") cache.set(raw, config);
    }
    return { ...line, config };
  };
  const typed = (ctx: Parameters<AnyFlow["init"]>[0]) => ({ ...ctx, line: typedLine(ctx.line) });
  const own = (state: unknown) => state as S;
  return {
    name: flow.name,
    stateVersion: flow.stateVersion ?? 1,
    migrate: (state, from) => flow.migrate?.(state, from) ?? null,
    init: (ctx) => flow.init(typed(ctx)),
    // The shell hands each flow only events of its own vocabulary or the engine's.
    step: (state, event, ctx) => flow.step(own(state), event as Parameters<typeof flow.step>[1], typed(ctx)),
    isDone: (state) => flow.isDone(own(state)),
    deadline: (state) => flow.deadline?.(own(state)) ?? null,
    view: (state, line) => flow.view?.(own(state), typedLine(line)) ?? { phase: "unknown" },
  };
}
