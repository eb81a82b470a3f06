/**
 * Product name → flow. Flows that need a typed config get it parsed here (once per config object),
 * so the shell can hand every flow the raw `lines.config` JSON. Pure lookups; no I/O.
 */
import type { Flow, FlowContext } from "../ivr/types";
import { adviceFlow } from "./advice/advice-flow";
import { parseAdviceConfig } from "./advice/config";
import { demoFlow } from "./demo/demo-flow";

/** Wraps a flow so it accepts raw config; the parse is cached per config object. */
export function withParsedConfig<S, C>(flow: Flow<S, C>, parse: (raw: unknown) => C): Flow<unknown, unknown> {
  const cache = new WeakMap<object, C>();
  const typed = (ctx: FlowContext<unknown>): FlowContext<C> => {
    const raw = ctx.line.config;
    let config = raw !== null && typeof raw === "object" ? cache.get(raw) : undefined;
    if (config === undefined) {
      config = parse(raw);
      if (raw !== null && typeof raw === "object") cache.set(raw, config);
    }
    return { ...ctx, line: { ...ctx.line, config } };
  };
  // The shell only ever passes back a state this flow produced.
  const own = (state: unknown) => state as S;
  return {
    name: flow.name,
    init: (ctx) => flow.init(typed(ctx)),
    step: (state, event, ctx) => flow.step(own(state), event, typed(ctx)),
    isDone: (state) => flow.isDone(own(state)),
    deadline: (state) => flow.deadline?.(own(state)) ?? null,
  };
}

const FLOWS: Record<string, Flow<unknown, unknown>> = {
  demo: demoFlow,
  advice: withParsedConfig(adviceFlow, parseAdviceConfig),
};

export function flowFor(product: string): Flow<unknown, unknown> | undefined {
  return Object.hasOwn(FLOWS, product) ? FLOWS[product] : undefined;
}
