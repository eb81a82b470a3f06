/**
 * The fault matrix: every product flow (support/fault-flows.ts) × every fault
 * (support/fault-plans.ts), each a whole call through the real route, CallSession, LineSession,
 * libSQL and Stripe stand-in. After each: settled exactly once, captured = rated (and, where the
 * fault should not change it, the fault-free bill), no negative balance, no hold left open, the
 * call record complete, no command carried out twice. The flow × fault table is printed at the end.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { CARDS } from "./support/advice-call";
import { FLOWS, type FlowCase, type FlowRun } from "./support/fault-flows";
import { FAULTS, prngFor, type Fault, type FaultContext } from "./support/fault-plans";
import { deliver, drainRetries, type Delivery } from "./support/fault-script";
import { callRecord, callTimeline } from "./support/seed";
import { TursoOutage } from "./support/turso-outage";
import { useWireFakes } from "./support/wire-fakes";

const { telnyx, stripe } = useWireFakes();
const turso = new TursoOutage();
beforeEach(() => turso.install());
afterEach(() => turso.uninstall());

const TERMINAL = new Set(["completed", "abandoned", "no_agent", "payment_failed", "voicemail", "failed"]);
/** Commands whose effect must never happen twice, whatever their command_ids. */
const ONCE = new Set(["answer", "dial", "bridge", "transfer", "hangup"]);

const applies = (flow: FlowCase, fault: Fault) =>
  (!fault.cardOnly || flow.takesCard) && (!fault.captureOnly || flow.capturesAfter === true);

const results = new Map<string, Map<string, string>>();
let phone = 0;

/** Plays the fault's plan, answering the line's retry menus and redelivering 5xx'd webhooks. */
async function play(flow: FlowCase, fault: Fault, run: FlowRun): Promise<FaultContext> {
  const { call } = run;
  const pending: Delivery[] = [];
  const post = async (d: Delivery) => {
    const { status, result } = await deliver(call, d);
    ctx.answers.push(result);
    if (status >= 500) pending.push(d);
  };
  const ctx: FaultContext = {
    call,
    telnyx,
    stripe,
    turso,
    prng: prngFor(flow.name, fault.name),
    answers: [],
    hits: 0,
    send: async (d) => {
      for (const again of pending.splice(0)) await post(again);
      await post(d);
      if (fault.retries) await drainRetries(call);
      for (let reply = await run.react(telnyx); reply; reply = await run.react(telnyx)) await post(reply);
    },
  };
  await fault.before?.(ctx);
  for (const d of fault.plan ? fault.plan(call.script, ctx) : call.script)
    await (fault.around ? fault.around(d, () => ctx.send(d), ctx) : ctx.send(d));
  await fault.after?.(ctx, call.script);
  // Left alone, the call settles on its own: retries, the wait for the other leg, the liveness check.
  for (let i = 0; i < 200; i++) {
    for (const again of pending.splice(0)) await post(again);
    const snap = await call.stub.inspect();
    if (
      pending.length === 0 &&
      snap?.doneAt != null &&
      snap.outbox === 0 &&
      (await callRecord(call.sessionId))
    )
      break;
    await runDurableObjectAlarm(call.stub);
    await call.stub.idle();
  }
  return ctx;
}

/** What went wrong with the call after the fault, in words; empty when nothing did. */
async function violations(flow: FlowCase, fault: Fault, run: FlowRun): Promise<string[]> {
  const { call } = run;
  const bad: string[] = [];
  const snap = await call.stub.inspect();
  if (snap?.doneAt == null) bad.push(`not settled (phase ${snap?.phase ?? "none"})`);
  if (snap && snap.outbox > 0) bad.push(`${snap.outbox} commands still queued`);
  if (snap && snap.deadLetters.length > 0)
    bad.push(`dead letters: ${snap.deadLetters.map((d) => d.command).join(", ")}`);
  const record = await callRecord(call.sessionId);
  if (!record) bad.push("no call record");
  else {
    if (!TERMINAL.has(record.status)) bad.push(`record status ${record.status}`);
    if (record.endedAt < record.startedAt) bad.push("record ends before it starts");
    if (!record.currency) bad.push("record without currency");
    if ((await callTimeline(call.sessionId)).length === 0) bad.push("no timeline");
    const want = fault.bill === "same" ? flow.bill : { amount: 0, billableSeconds: null };
    if (record.amount !== want.amount) bad.push(`billed ${record.amount}, expected ${want.amount}`);
    if (want.billableSeconds !== null && record.billableSeconds !== want.billableSeconds)
      bad.push(`billable ${record.billableSeconds} s, expected ${want.billableSeconds} s`);
  }
  const money = await run.money({ stripe });
  if (money.captured !== money.rated) bad.push(`captured ${money.captured} ≠ rated ${money.rated}`);
  if (money.holdsOpen > 0) bad.push(`${money.holdsOpen} holds left open`);
  if (money.negative > 0) bad.push("a negative balance");
  if (money.settlements > 1) bad.push(`settled ${money.settlements} times`);
  const effects = new Map<string, Set<unknown>>();
  for (const c of telnyx.sent) {
    if (!ONCE.has(c.action)) continue;
    const { command_id: id, client_state: _state, ...rest } = c.body;
    const key = JSON.stringify([c.action, c.leg, rest]);
    effects.set(key, (effects.get(key) ?? new Set()).add(id));
  }
  for (const [key, ids] of effects) if (ids.size > 1) bad.push(`${key} carried out ${ids.size} times`);
  return bad;
}

describe("fault matrix", () => {
  for (const flow of FLOWS)
    describe(flow.name, () => {
      for (const fault of FAULTS) {
        if (!applies(flow, fault)) continue;
        it(fault.name, async () => {
          const row = results.get(flow.name) ?? new Map<string, string>();
          results.set(flow.name, row.set(fault.name, "FAIL"));
          phone += 1;
          const run = await flow.write({
            cardNumber: fault.cardNumber ?? CARDS.visa,
            from: `+1555126${String(phone).padStart(4, "0")}`,
          });
          const ctx = await play(flow, fault, run);
          expect(fault.struck(ctx, run.call.script), `${fault.name} struck this call`).toBe(true);
          expect(await violations(flow, fault, run)).toEqual([]);
          row.set(fault.name, "pass");
        });
      }
    });
});

/** pass / FAIL; "n/a" where the fault cannot apply (no card, no capture); "not run" when filtered out. */
const cell = (flow: FlowCase, fault: Fault) =>
  !applies(flow, fault) ? "n/a" : (results.get(flow.name)?.get(fault.name) ?? "not run");

afterAll(() => {
  const width = Math.max(...FAULTS.map((f) => f.name.length));
  const lines = [`fault matrix (${FLOWS.length} flows × ${FAULTS.length} faults)`];
  lines.push(`${"".padEnd(width)}  ${FLOWS.map((f) => f.name.padEnd(18)).join("")}`);
  for (const fault of FAULTS)
    lines.push(`${fault.name.padEnd(width)}  ${FLOWS.map((f) => cell(f, fault).padEnd(18)).join("")}`);
  console.log(lines.join("\n"));
});
