/**
 * Carries out the agent line's commands for a CallSession: identifying the caller (blacklist,
 * customer register, address directory, lockout), checking a customer code held in memory,
 * reserving credit, and settling the call's order. Turso through the product's stores.
 */
import { defineCapability, type EffectContext, type EffectOutcome } from "../../engine/effect";
import { agentLineEnv, codeHash } from "./agent-line-env";
import { parseAgentLineConfig } from "./config";
import { reserveCredit, settleOrder } from "./credit-store";
import {
  blacklistPromptFor,
  createFromDirectory,
  customerByCodeHash,
  customerByNumber,
  customerView,
  lockedUntil,
  recordCodeFailure,
} from "./customer-store";
import { billability, embeddedDirectory, httpDirectory, type AddressDirectory } from "./directory";
import type { AgentLineCommand, AgentLineEvent, Identified } from "./vocabulary";

const CODE_KEY = "agent-line.code";
const done = (event: AgentLineEvent): EffectOutcome => ({ kind: "done", event });
const configOf = (fx: EffectContext) => parseAgentLineConfig(fx.line.config);

function directoryOf(fx: EffectContext): AddressDirectory {
  const env = agentLineEnv(fx.deps.env);
  return env.ADDRESS_DIRECTORY_URL
    ? fx.deps.memo("agent-line.directory", () =>
        httpDirectory(env.ADDRESS_DIRECTORY_URL!, env.ADDRESS_DIRECTORY_KEY ?? ""),
      )
    : embeddedDirectory(fx.deps.db());
}

async function identify(number: string, fx: EffectContext): Promise<Identified> {
  const db = fx.deps.db();
  const cfg = configOf(fx);
  const barred = await blacklistPromptFor(db, { number });
  if (barred) return { kind: "blacklisted", prompt: barred };
  const known = await customerByNumber(db, number);
  if (known) return { kind: "customer", customer: await customerView(db, known, cfg), created: false };
  const until = await lockedUntil(db, number, cfg, fx.now());
  if (until) return { kind: "locked", until };
  const entry = await directoryOf(fx).lookup(number);
  if (!entry) return { kind: "unknown", reason: "not_found" };
  const verdict = billability(entry);
  if (verdict !== "billable") return { kind: "unknown", reason: verdict };
  const created = await createFromDirectory(db, entry, number, cfg, fx.line.id);
  return { kind: "customer", customer: await customerView(db, created, cfg), created: true };
}

async function checkCode(number: string, fx: EffectContext): Promise<AgentLineEvent> {
  const at = fx.now();
  const code = fx.memory.get(CODE_KEY);
  fx.memory.delete(CODE_KEY);
  // The object restarted since the caller keyed it: ask again, and count nothing against them.
  if (!code) return { type: "code_checked", identified: { kind: "wrong", locked: false }, at };
  const db = fx.deps.db();
  const cfg = configOf(fx);
  const customer = await customerByCodeHash(db, await codeHash(agentLineEnv(fx.deps.env), code));
  if (customer)
    return {
      type: "code_checked",
      identified: { kind: "customer", customer: await customerView(db, customer, cfg), created: false },
      at,
    };
  await recordCodeFailure(db, fx.commandId, number, at);
  const until = await lockedUntil(db, number, cfg, at);
  return {
    type: "code_checked",
    identified: until ? { kind: "locked", until } : { kind: "wrong", locked: false },
    at,
  };
}

export const agentLineEffects = defineCapability<AgentLineCommand>({
  name: "agent-line",
  handlers: {
    identify_caller: {
      kind: "outbox",
      lane: () => "customer",
      policy: "call",
      run: async (cmd, fx) =>
        done({ type: "caller_identified", identified: await identify(cmd.number, fx), at: fx.now() }),
      // The register could not be read: the caller hears that, instead of waiting in silence.
      instead: (_cmd, at): AgentLineEvent => ({
        type: "caller_identified",
        identified: { kind: "unknown", reason: "not_found" },
        at,
      }),
    },
    hold_customer_code: { kind: "memory", apply: (cmd, memory) => void memory.set(CODE_KEY, cmd.value) },
    check_customer_code: {
      kind: "outbox",
      lane: () => "customer",
      policy: "call",
      run: async (cmd, fx) => done(await checkCode(cmd.number, fx)),
      instead: (_cmd, at): AgentLineEvent => ({
        type: "code_checked",
        identified: { kind: "wrong", locked: false },
        at,
      }),
    },
    reserve_credit: {
      kind: "outbox",
      lane: () => "credit",
      policy: "money",
      async run(cmd, fx) {
        const reserved = await reserveCredit(fx.deps.db(), {
          id: cmd.reservationId,
          callId: fx.sessionId,
          customerId: cmd.customerId,
          amount: cmd.amount,
          minimum: cmd.minimum,
          overdraft: configOf(fx).overdraft,
        });
        return done(
          reserved > 0
            ? { type: "credit_reserved", reservationId: cmd.reservationId, amount: reserved, at: fx.now() }
            : { type: "credit_refused", reservationId: cmd.reservationId, at: fx.now() },
        );
      },
    },
    settle_order: {
      kind: "outbox",
      lane: () => "credit",
      policy: "money",
      async run(cmd, fx) {
        const result = await settleOrder(fx.deps.db(), fx.sessionId, cmd, configOf(fx), fx.now());
        return done({ type: "order_settled", ...result, at: fx.now() });
      },
    },
  },
  describeEvent(event) {
    const e = event as AgentLineEvent;
    if (e.type === "caller_identified" || e.type === "code_checked")
      return { type: e.type, outcome: e.identified.kind };
    if (e.type === "credit_reserved") return { type: e.type, amount: e.amount };
    return undefined;
  },
});
