/**
 * Finds the handler for a command type among the engine's and every registered capability's.
 * Built once per object from the product registry; two capabilities claiming one command type
 * is a wiring error found at start, not a coin toss at run time.
 */
import type { Capability, EffectHandler } from "../src/engine/effect";
import type { Tagged, TaggedEvent } from "../src/ivr/types";

export interface EffectRegistry {
  handlerFor(type: string): EffectHandler<Tagged> | undefined;
  /** A log line's description of a capability's event (undefined: log its type only). */
  describeEvent(event: TaggedEvent): Record<string, unknown> | undefined;
}

export function createEffectRegistry(capabilities: readonly Capability[]): EffectRegistry {
  const handlers = new Map<string, { capability: string; handler: EffectHandler<Tagged> }>();
  const seen = new Set<string>();
  const describers: NonNullable<Capability["describeEvent"]>[] = [];
  for (const capability of capabilities) {
    if (seen.has(capability.name)) continue; // shared by several products: registered once
    seen.add(capability.name);
    for (const [type, handler] of Object.entries(
      capability.handlers as Record<string, EffectHandler<Tagged>>,
    )) {
      const existing = handlers.get(type);
      if (existing)
        throw new Error(`command ${type} is claimed by both ${existing.capability} and ${capability.name}`);
      handlers.set(type, { capability: capability.name, handler });
    }
    if (capability.describeEvent) describers.push(capability.describeEvent.bind(capability));
  }
  return {
    handlerFor: (type) => handlers.get(type)?.handler,
    describeEvent(event) {
      for (const describe of describers) {
        const described = describe(event);
        if (described) return described;
      }
      return undefined;
    },
  };
}
