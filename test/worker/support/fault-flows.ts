/**
 * The fault matrix's flows: one entry per product flow, each a whole call written down as a script
 * (ScriptedCall) plus what its money looks like afterwards, read from where it lives (Stripe's
 * intents and refunds, the agent line's orders, reservations and balance). A new product adds one
 * entry here; every fault in fault-plans.ts then runs against it.
 */
import { eq } from "drizzle-orm";
import { schema } from "../../../src/db/client";
import { agentRole, acceptTerms, card, CARDS, connectRep, keyInCard, payloadOf, repLeg } from "./advice-call";
import { adviceLine, FLAT_RATE, PER_MINUTE } from "./advice-lines";
import { INTENTS, REFUNDS, type StripeTap } from "./advice-stripe";
import { activeReservations, agentLineFixture, customerRow, ordersOf, seedCustomer } from "./agent-line";
import { connect, destLeg, enterCard, placeCall } from "./card-call";
import { accountOfPin, ledgerOf, seedCards } from "./card-seed";
import { ScriptedCall, type Delivery } from "./fault-script";
import { db, seedLine } from "./seed";
import type { FakeTelnyx } from "./telnyx";

/** Money after the call, as the places that hold it see it. */
export interface Money {
  /** What our own record says the call costs. */
  rated: number;
  /** What was really taken: Stripe's amount received less refunds, or the customer's new balance. */
  captured: number;
  /** Card holds still uncaptured, or credit reservations still active. */
  holdsOpen: number;
  /** Balances below zero. */
  negative: number;
  /** Settlements written for this call (orders, captures): at most one. */
  settlements: number;
}

export interface FlowRun {
  call: ScriptedCall;
  /** The caller's answer to what the line just said, if it needs one the script did not foresee. */
  react(telnyx: FakeTelnyx): Promise<Delivery | null>;
  money(ctx: { stripe: StripeTap }): Promise<Money>;
}

export interface FlowCase {
  name: string;
  /** Takes a card through Stripe (the Stripe faults apply). */
  takesCard: boolean;
  /** Holds the card's money and captures it after the call (a flat fee is charged up front). */
  capturesAfter?: boolean;
  /** The bill when nothing goes wrong. */
  bill: { amount: number; billableSeconds: number };
  write(options: { cardNumber: string; from: string }): Promise<FlowRun>;
}

/** 2.5 minutes of talk: whole-minute billing gives 3 minutes however a fault moves the end by a second. */
const TALK_MS = 150_000;
/** A seeded calling card's face value (card-seed.ts's default), in cents. */
const CARD_FACE_VALUE = 500;

const recordOf = async (id: string) =>
  (await db().select().from(schema.calls).where(eq(schema.calls.id, id)))[0] ?? null;

/** The usual end: the caller hangs up, the other leg's hang-up follows 0.8 s later. */
async function bothHangUp(call: ScriptedCall, leg: string, role: string): Promise<void> {
  await call.hangup(call.callerLeg, "caller");
  call.advance(800);
  await call.hangup(leg, role);
}

/** The card IVR's retry menus: "try again" gets a 1, a declined card's menu a 2 (end the call). */
function cardReactions(call: ScriptedCall) {
  const answered = new Set<unknown>();
  return async (telnyx: FakeTelnyx): Promise<Delivery | null> => {
    const last = telnyx.ofAction("gather_using_speak").at(-1);
    if (!last || answered.has(last.body.command_id)) return null;
    const text = payloadOf(last);
    const key = /Press 1 to try again/.test(text) ? "1" : /try another card/.test(text) ? "2" : null;
    if (!key) return null;
    answered.add(last.body.command_id);
    call.advance(2_000);
    return call.extra("call.gather.ended", call.callerLeg, "caller", { digits: key, status: "valid" });
  };
}

async function cardMoney(callId: string, stripe: StripeTap): Promise<Money> {
  const intents = [...new Set(stripe.ok("POST", INTENTS).map((e) => String(e.body?.id)))];
  let captured = 0;
  let holdsOpen = 0;
  for (const id of intents) {
    const pi = await stripe.intent(id);
    captured += Number(pi.amount_received ?? 0);
    if (pi.status === "requires_capture") holdsOpen += 1;
  }
  const refunds = new Map(stripe.ok("POST", REFUNDS).map((e) => [e.body?.id, Number(e.body?.amount ?? 0)]));
  for (const amount of refunds.values()) captured -= amount;
  const record = await recordOf(callId);
  return {
    rated: record?.amount ?? Number.NaN,
    captured,
    holdsOpen,
    negative: captured < 0 ? 1 : 0,
    settlements: intents.length > 1 ? intents.length : record ? 1 : 0,
  };
}

const adviceFlow = (name: string, config: typeof PER_MINUTE | typeof FLAT_RATE, bill: FlowCase["bill"]) =>
  ({
    name,
    takesCard: true,
    capturesAfter: config === PER_MINUTE,
    bill,
    async write({ cardNumber, from }) {
      const line = await adviceLine(config);
      const rep = line.agents[0]!;
      const call = new ScriptedCall(from, line.number);
      await acceptTerms(call);
      await keyInCard(call, card(cardNumber));
      await call.speakEnded(); // "your card is approved"
      await connectRep(call, rep.id);
      call.advance(TALK_MS);
      await bothHangUp(call, repLeg(call), agentRole(rep.id));
      return { call, react: cardReactions(call), money: ({ stripe }) => cardMoney(call.sessionId, stripe) };
    },
  }) satisfies FlowCase;

export const FLOWS: FlowCase[] = [
  {
    name: "demo",
    takesCard: false,
    bill: { amount: 0, billableSeconds: 150 },
    async write({ from }) {
      const line = await seedLine("demo", {});
      const agent = line.agents[0]!;
      const call = new ScriptedCall(from, line.number);
      await call.start();
      await call.answered();
      await call.gathered("1");
      await connectRep(call, agent.id);
      call.advance(TALK_MS);
      await bothHangUp(call, repLeg(call), agentRole(agent.id));
      return {
        call,
        react: () => Promise.resolve(null),
        async money() {
          const record = await recordOf(call.sessionId);
          const rated = record?.amount ?? Number.NaN;
          return { rated, captured: 0, holdsOpen: 0, negative: 0, settlements: record ? 1 : 0 };
        },
      };
    },
  },
  // 1.50 a minute on a 30.00 hold: 3 minutes, captured at the end.
  adviceFlow("advice per minute", PER_MINUTE, { amount: 450, billableSeconds: 180 }),
  // 25.00 charged before the rep, for up to 2 minutes: the script talks past them, billed to the limit.
  adviceFlow("advice flat rate", FLAT_RATE, { amount: 2500, billableSeconds: 120 }),
  {
    // 19.90 SEK a minute and a 4.95 connection fee on reserved credit: 3 × 1990 + 495.
    name: "agent line",
    takesCard: false,
    bill: { amount: 6465, billableSeconds: 180 },
    async write({ from: _from }) {
      const fx = await agentLineFixture();
      const customer = await seedCustomer(fx, { creditLimit: 100_000 });
      const agent = fx.agents[0]!;
      const call = new ScriptedCall(customer.number, fx.number);
      await call.start();
      await call.answered();
      call.advance(3_000);
      await call.speakEnded(); // the welcome: the caller is recognised, credit reserved, agent dialled
      await connectRep(call, agent.id);
      call.advance(TALK_MS);
      await bothHangUp(call, repLeg(call), agentRole(agent.id));
      return {
        call,
        react: () => Promise.resolve(null),
        async money() {
          const [record, orders, row, open] = await Promise.all([
            recordOf(call.sessionId),
            ordersOf(customer.id),
            customerRow(customer.id),
            activeReservations(customer.id),
          ]);
          return {
            rated: record?.amount ?? Number.NaN,
            // A fresh customer: what the call added to their balance is what they were charged.
            captured: row.openBalance,
            holdsOpen: open.length,
            negative: row.openBalance < 0 ? 1 : 0,
            settlements: orders.length,
          };
        },
      };
    },
  },
  {
    // 0.06 a minute to the UK from a 5.00 card: 3 minutes, debited from the card's balance.
    name: "calling card",
    takesCard: false,
    bill: { amount: 18, billableSeconds: 180 },
    async write({ from }) {
      const { pins, batchId, line } = await seedCards({});
      const call = new ScriptedCall(from, line.number);
      await enterCard(call, pins[0]!);
      await placeCall(call, "011442079460000");
      await connect(call);
      call.advance(TALK_MS);
      await bothHangUp(call, destLeg(call), "dest:1");
      return {
        call,
        react: () => Promise.resolve(null),
        async money() {
          const [record, account] = await Promise.all([recordOf(call.sessionId), accountOfPin(batchId, 1)]);
          const debits = account ? (await ledgerOf(account.id)).filter((l) => l.reason === "call") : [];
          return {
            rated: record?.amount ?? Number.NaN,
            // The card's face value less what is left on it: what the caller really paid.
            captured: account ? CARD_FACE_VALUE - account.balance : 0,
            holdsOpen: account ? account.holds + (account.reserved > 0 ? 1 : 0) : 0,
            negative: account && account.balance < 0 ? 1 : 0,
            settlements: debits.length,
          };
        },
      };
    },
  },
];

export { CARDS };
