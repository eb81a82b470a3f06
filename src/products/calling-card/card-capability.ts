/**
 * Carries out the calling-card commands for a CallSession: the PIN into (and out of) the call's
 * memory, the card check with activation and lockout, rating, the reservation and the settlement,
 * through the adapters in db/. The PIN leaves memory only as its keyed hash; it is never in a
 * result, a log line or an error. Card lookups are "call" commands (a caller waits; given up →
 * card_unavailable); reserving and settling are money: never given up.
 */
import { loadConfig } from "../../config";
import { defineCapability, type EffectContext, type EffectOutcome } from "../../engine/effect";
import type { CardCommand, CardEvent } from "./card-vocabulary";
import { activate, cardByCallerNumber, cardByPinHash, judge, mayActivate, refused } from "./db/card-access";
import { reserveBalance, settleCardCall } from "./db/card-money";
import { rateForCard } from "./db/card-rating";
import { callerKey, lockedUntil, pinKey, recordFailure } from "./db/lockout";
import { pinHash, pinKeys, type PinKeys } from "./pins/pin-crypto";

const PIN = "card.pin";
const done = (event: CardEvent): EffectOutcome => ({ kind: "done", event });
const client = (fx: EffectContext) => fx.deps.db().$client;

export const keysOf = (fx: EffectContext): Promise<PinKeys> =>
  fx.deps.memo("pin-keys", () => {
    const cfg = loadConfig(fx.deps.env);
    return pinKeys(cfg.PIN_HMAC_KEY, cfg.PIN_ENCRYPTION_KEY);
  });

async function checkPin(
  cmd: Extract<CardCommand, { type: "check_pin" }>,
  fx: EffectContext,
): Promise<EffectOutcome> {
  const pin = fx.memory.get(PIN);
  const now = fx.now();
  if (!pin) return done({ type: "pin_lost", at: now });
  const hash = await pinHash(await keysOf(fx), pin);
  const db = client(fx);
  const keys = [callerKey(cmd.callerNumber), pinKey(hash)];
  const locked = await lockedUntil(db, keys, now);
  if (locked !== null) return done(refused("locked", now, locked));
  let row = await cardByPinHash(db, hash);
  if (!row) {
    const until = await recordFailure(db, keys, now);
    return done(refused(until === null ? "unknown" : "locked", now, until));
  }
  if (mayActivate(row, now)) {
    await activate(db, Number(row.pin_id), now);
    row = (await cardByPinHash(db, hash)) ?? row;
  }
  fx.memory.delete(PIN);
  return done(judge(row, now, cmd.maxCalls));
}

async function findCallerCard(
  cmd: Extract<CardCommand, { type: "find_caller_card" }>,
  fx: EffectContext,
): Promise<EffectOutcome> {
  const now = fx.now();
  const db = client(fx);
  let row = await cardByCallerNumber(db, cmd.callerNumber);
  if (!row) return done(refused("not_registered", now));
  if (mayActivate(row, now)) {
    await activate(db, Number(row.pin_id), now);
    row = (await cardByCallerNumber(db, cmd.callerNumber)) ?? row;
  }
  return done(judge(row, now, cmd.maxCalls));
}

const lookup = {
  kind: "outbox",
  lane: () => "card",
  policy: "call",
  instead: (_c: unknown, at: number) => ({ type: "card_unavailable", at }),
} as const;
const money = { kind: "outbox", lane: () => "card", policy: "money" } as const;

export const cardCapability = defineCapability<CardCommand>({
  name: "calling-cards",
  handlers: {
    hold_pin: { kind: "memory", apply: (cmd, memory) => void memory.set(PIN, cmd.value) },
    forget_pin: { kind: "memory", apply: (_cmd, memory) => void memory.delete(PIN) },
    check_pin: { ...lookup, run: checkPin },
    find_caller_card: { ...lookup, run: findCallerCard },
    rate_destination: {
      ...lookup,
      run: async (cmd, fx) => done(await rateForCard(client(fx), cmd.accountId, cmd.destination, fx.now())),
    },
    reserve_balance: {
      ...money,
      run: async (cmd, fx) => done(await reserveBalance(client(fx), cmd, fx.now())),
    },
    settle_card_call: {
      ...money,
      run: async (cmd, fx) => done(await settleCardCall(client(fx), cmd, fx.now())),
    },
  },
  describeEvent(event) {
    const e = event as CardEvent;
    switch (e.type) {
      case "pin_refused":
        return { type: e.type, reason: e.reason };
      case "reserve_refused":
        return { type: e.type, reason: e.reason };
      case "balance_reserved":
        return { type: e.type, amount: e.amount };
      case "card_call_settled":
        return { type: e.type, amount: e.amount, seconds: e.billableSeconds };
      default:
        return undefined;
    }
  },
});
