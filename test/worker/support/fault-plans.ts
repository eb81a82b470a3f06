/**
 * The fault matrix's faults: each says how Telnyx delivers a flow's script under it (duplicated,
 * reordered, late, lost) or what breaks meanwhile (Telnyx, Stripe or Turso answering errors, the
 * call's object restarting), and whether the bill must still be the fault-free one. Randomness
 * comes from a seeded PRNG, so a failing cell fails the same way every run.
 */
import { abortAllDurableObjects, runDurableObjectAlarm } from "cloudflare:test";
import { createPrng, type Prng } from "../../../tools/telnyx-standin/prng";
import { CAPTURE, CONFIRM, type StripeTap } from "./advice-stripe";
import { CARDS } from "./advice-call";
import { isHangup, isNetworkEvent, letTimePass, type Delivery, type ScriptedCall } from "./fault-script";
import type { FakeTelnyx } from "./telnyx";
import type { TursoOutage } from "./turso-outage";

export interface FaultContext {
  call: ScriptedCall;
  telnyx: FakeTelnyx;
  stripe: StripeTap;
  turso: TursoOutage;
  prng: Prng;
  /** Delivers one webhook as Telnyx would (a 5xx is redelivered later). */
  send(d: Delivery): Promise<void>;
  /** What the route answered each delivery ("applied", "duplicate", "ended", "http 503", …). */
  answers: string[];
  /** How often the fault struck where it cannot be seen from outside (a restart, a lost webhook). */
  hits: number;
}

export interface Fault {
  name: string;
  /** Only for flows that take a card through Stripe. */
  cardOnly?: boolean;
  /** Only for flows that capture a hold after the call. */
  captureOnly?: boolean;
  /** The card the caller keys in (default: one that is approved). */
  cardNumber?: string;
  /** "same": billed exactly as without the fault; "nothing": no money moves. */
  bill: "same" | "nothing";
  /** Commands will wait for retries: run the retry alarms after each delivery. */
  retries?: boolean;
  /** The deliveries in the order Telnyx makes them (default: the script as written). */
  plan?(script: Delivery[], ctx: FaultContext): Delivery[];
  before?(ctx: FaultContext): Promise<void> | void;
  /** Around one delivery: `send` posts it. */
  around?(d: Delivery, send: () => Promise<void>, ctx: FaultContext): Promise<void>;
  /** After the whole plan, before the call is left to settle. */
  after?(ctx: FaultContext, script: Delivery[]): Promise<void>;
  /** Proof the fault really struck this call (a fault that never fires proves nothing). */
  struck(ctx: FaultContext, script: Delivery[]): boolean;
}

const failedAttempts = (ctx: FaultContext, statuses: number[]) =>
  ctx.telnyx.attempts.some((a) => statuses.includes(a.status));
const stripeFaults = (ctx: FaultContext, fault: "before" | "after") =>
  ctx.stripe.exchanges.some((e) => e.fault === fault);

const FIVE_MINUTES = 5 * 60_000;

/** Telnyx knows a leg ended when its hang-up happened, whether or not we heard of it. */
function telnyxKnowsEnded(ctx: FaultContext, hangups: Delivery[]): void {
  for (const h of hangups) ctx.telnyx.endedLegs.set(h.leg, h.at);
}

/** Shuffles each run of consecutive network events (at most `window` long) with the seeded PRNG. */
function reorderNetworkEvents(script: Delivery[], callerLeg: string, prng: Prng, window = 4): Delivery[] {
  const out: Delivery[] = [];
  let run: Delivery[] = [];
  const flush = () => {
    for (let i = run.length - 1; i > 0; i--) {
      const j = Math.floor(prng() * (i + 1));
      [run[i], run[j]] = [run[j]!, run[i]!];
    }
    out.push(...run);
    run = [];
  };
  for (const d of script) {
    if (!isNetworkEvent(d, callerLeg)) {
      flush();
      out.push(d);
      continue;
    }
    run.push(d);
    if (run.length === window) flush();
  }
  flush();
  return out;
}

const callerHangup = (ctx: FaultContext, d: Delivery) => isHangup(d) && d.leg === ctx.call.callerLeg;

export const FAULTS: Fault[] = [
  { name: "none", bill: "same", struck: () => true },
  {
    name: "every webhook twice",
    struck: (ctx) => ctx.answers.filter((a) => a === "duplicate").length >= 5,
    bill: "same",
    // Each again after the next one, as a redelivery after a slow answer would come.
    plan: (script) =>
      script.flatMap((d, i) => (i === 0 ? [d] : [d, script[i - 1]!])).concat(script.slice(-1)),
  },
  {
    name: "reordered",
    struck: (ctx) => ctx.hits > 0,
    bill: "same",
    plan: (script, ctx) => {
      const plan = reorderNetworkEvents(script, ctx.call.callerLeg, ctx.prng);
      ctx.hits = plan.filter((d, i) => d !== script[i]).length;
      return plan;
    },
  },
  {
    name: "hang-ups 5 min late",
    // The minutes tick meanwhile (and a call without a deadline is checked with Telnyx).
    struck: (ctx) => ctx.hits > 0,
    bill: "same",
    plan: (script) => script.filter((d) => !isHangup(d)),
    async after(ctx, script) {
      const hangups = script.filter(isHangup);
      telnyxKnowsEnded(ctx, hangups);
      ctx.hits = await letTimePass(ctx.call, FIVE_MINUTES + 30_000);
      for (const h of hangups) await ctx.send(h);
    },
  },
  {
    name: "caller's hang-up lost",
    struck: (ctx) => ctx.hits > 0,
    bill: "same",
    around(d, send, ctx) {
      if (!callerHangup(ctx, d)) return send();
      // Never delivered; from now on Telnyx knows the leg ended (and refuses commands for it).
      telnyxKnowsEnded(ctx, [d]);
      ctx.telnyx.refuseEndedLegs = true;
      ctx.hits += 1;
      return Promise.resolve();
    },
  },
  {
    name: "both hang-ups lost",
    bill: "same",
    // The call goes silent: only asking Telnyx (the liveness check, the stale-call guard) ends it.
    struck: (ctx) => ctx.telnyx.statusChecks.length > 0,
    around(d, send, ctx) {
      if (!isHangup(d)) return send();
      telnyxKnowsEnded(ctx, [d]);
      ctx.telnyx.refuseEndedLegs = true;
      return Promise.resolve();
    },
  },
  {
    name: "Telnyx 503/429 bursts",
    struck: (ctx) => failedAttempts(ctx, [503]) && failedAttempts(ctx, [429]),
    bill: "same",
    retries: true,
    async around(d, send, ctx) {
      // Every other delivery, the commands it causes meet a burst of two failures, 503 and 429 in turn.
      const n = ctx.hits++;
      if (n % 2 === 0) ctx.telnyx.failBurst(2, n % 4 === 0 ? 503 : 429, n % 4 === 0 ? "10001" : "10011");
      await send();
    },
  },
  {
    name: "422 90018 races",
    struck: (ctx) => failedAttempts(ctx, [422]) && ctx.telnyx.statusChecks.length > 0,
    bill: "same",
    async around(d, send, ctx) {
      // Both legs end at once: our hang-up of the other leg races Telnyx's own and loses (90018).
      if (callerHangup(ctx, d)) {
        ctx.telnyx.refuseEndedLegs = true;
        for (const [leg, role] of Object.entries((await ctx.call.stub.inspect())?.liveLegs ?? {}))
          if (role !== "caller") ctx.telnyx.endedLegs.set(leg, d.at + 500);
        ctx.telnyx.endedLegs.set(d.leg, d.at);
      }
      await send();
    },
  },
  {
    name: "Stripe 5xx",
    struck: (ctx) => stripeFaults(ctx, "before"),
    cardOnly: true,
    bill: "same",
    retries: true,
    before(ctx) {
      ctx.stripe.failNext("POST", CONFIRM, "before");
      ctx.stripe.failNext("POST", CAPTURE, "before");
    },
  },
  {
    name: "Stripe timeout",
    struck: (ctx) => stripeFaults(ctx, "after"),
    cardOnly: true,
    bill: "same",
    retries: true,
    // Stripe did the work but its answer never came back (as after a client-side timeout).
    before(ctx) {
      ctx.stripe.failNext("POST", CONFIRM, "after");
      ctx.stripe.failNext("POST", CAPTURE, "after");
    },
  },
  {
    name: "Stripe refuses capture",
    // The hold lapsed before the capture: nothing can be collected, and nothing may stay on hold.
    struck: (ctx) => ctx.stripe.exchanges.some((e) => e.fault === "refused"),
    cardOnly: true,
    captureOnly: true,
    bill: "nothing",
    before(ctx) {
      ctx.stripe.failNext("POST", CAPTURE, "expired");
    },
  },
  {
    name: "card declined",
    cardOnly: true,
    cardNumber: CARDS.declined,
    bill: "nothing",
    struck: (ctx) => ctx.stripe.exchanges.some((e) => e.status === 402),
  },
  {
    name: "Turso down at settlement",
    struck: (ctx) => ctx.turso.refused > 0,
    bill: "same",
    async around(d, send, ctx) {
      if (callerHangup(ctx, d)) ctx.turso.down = true;
      await send();
    },
    async after(ctx) {
      // The settlement's retries meet the outage a few times, then Turso is back.
      for (let i = 0; i < 3; i++) {
        await runDurableObjectAlarm(ctx.call.stub);
        await ctx.call.stub.idle();
      }
      ctx.turso.down = false;
    },
  },
  {
    name: "object restarted mid-call",
    struck: (ctx) => ctx.hits === 2,
    bill: "same",
    async around(d, send, ctx) {
      await send();
      // Memory lost, storage kept: once while they talk, once with the settlement under way.
      if ((d.eventType === "call.bridged" && d.leg !== ctx.call.callerLeg) || callerHangup(ctx, d)) {
        await abortAllDurableObjects();
        ctx.hits += 1;
      }
    },
  },
];

export function prngFor(flow: string, fault: string): Prng {
  let h = 2166136261;
  for (const ch of `${flow}/${fault}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619);
  return createPrng(h);
}
