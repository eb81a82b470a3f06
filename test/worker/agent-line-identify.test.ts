/**
 * Who is calling an invoiced agent line, end to end in workerd: signed webhooks through the real
 * route, the real CallSession and LineSession objects, the real libSQL database; only Telnyx's
 * API is a fake. By number (either of a customer's), by the address directory, by customer code
 * with its persistent lockout, the blacklist, an unpaid invoice, and customer service.
 */
import { describe, expect, it } from "vitest";
import { db } from "./support/seed";
import { codeFailures } from "../../src/products/agent-line/schema";
import { payloadOf } from "./support/advice-call";
import {
  activeReservations,
  agentLineFixture,
  blacklistCustomer,
  blacklistNumber,
  customerOf,
  dialIn,
  directoryEntry,
  seedCustomer,
  stockholmNumber,
  uniqueCode,
} from "./support/agent-line";
import { useWireFakes } from "./support/wire-fakes";
import type { TestCall } from "./support/call";
import { callRecord } from "./support/seed";

const { telnyx } = useWireFakes();

const lastSpeech = () => payloadOf(telnyx.ofAction("speak").at(-1));
const lastPrompt = () => payloadOf(telnyx.ofAction("gather_using_speak").at(-1));
const CONNECTING = "Thank you. Connecting you to an agent.";
const CODE_PROMPT =
  /^We could not find your number in our register\. Please enter your 6 digit customer code/;

/** The goodbye is heard to its end: we hang up; Telnyx reports it; the call is recorded. */
async function goodbye(call: TestCall) {
  await call.speakEnded();
  expect(telnyx.ofAction("hangup").map((c) => c.leg)).toContain(call.callerLeg);
  call.advance(500);
  await call.hangup(call.callerLeg, "caller");
  return callRecord(call.sessionId);
}

describe("identified by number", () => {
  it("either of a customer's numbers finds them; credit is reserved and an agent dialled", async () => {
    const fx = await agentLineFixture();
    const second = stockholmNumber();
    const customer = await seedCustomer(fx, { numbers: [stockholmNumber(), second] });
    const call = await dialIn(fx, second);
    expect(lastSpeech()).toBe(CONNECTING);
    expect(telnyx.ofAction("dial")[0]?.body).toMatchObject({ to: fx.agents[0]!.destination });
    const held = await activeReservations(customer.id);
    expect(held.map((r) => [r.callId, r.amount])).toEqual([[call.sessionId, 10 * 1990 + 495]]);
  });

  it("a caller ID in national form is read as E.164 (08-… → +468…)", async () => {
    const fx = await agentLineFixture();
    const customer = await seedCustomer(fx);
    const national = `0${customer.number.slice(3, 4)}-${customer.number.slice(4)}`;
    await dialIn(fx, national);
    expect(lastSpeech()).toBe(CONNECTING);
    expect(await activeReservations(customer.id)).toHaveLength(1);
  });

  it("a billable directory match becomes a customer with the line's starting credit", async () => {
    const fx = await agentLineFixture({ startingCredit: 100_000 });
    const number = stockholmNumber();
    await directoryEntry(number, { name: "Lisa Ny" });
    await dialIn(fx, number);
    expect(lastSpeech()).toBe(CONNECTING);
    const created = await customerOf(number);
    expect(created).toMatchObject({
      name: "Lisa Ny",
      street: "Drottninggatan 20",
      city: "Stockholm",
      creditLimit: 100_000,
      status: "active",
      lineId: fx.id,
    });
  });
});

describe("identified by customer code", () => {
  it.each([
    ["not in the directory", null],
    ["a secret number", { secret: true }],
    ["an incomplete address", { street: null }],
  ] as const)("%s is asked for its code; the right code finds the customer", async (_case, entry) => {
    const fx = await agentLineFixture({ codeLength: 6 });
    const number = stockholmNumber();
    if (entry) await directoryEntry(number, entry);
    const code = uniqueCode();
    const customer = await seedCustomer(fx, { numbers: [], code });
    const call = await dialIn(fx, number);
    expect(lastPrompt()).toMatch(CODE_PROMPT);
    expect(await customerOf(number)).toBeNull();
    await call.gathered(code);
    expect(lastSpeech()).toBe(CONNECTING);
    expect(await activeReservations(customer.id)).toHaveLength(1);
  });

  it("a wrong code is asked again, then the right one is accepted", async () => {
    const fx = await agentLineFixture({ codeTries: 3 });
    const code = uniqueCode();
    const customer = await seedCustomer(fx, { numbers: [], code });
    const call = await dialIn(fx, stockholmNumber());
    await call.gathered("111111");
    expect(lastPrompt()).toMatch(/^That customer code is not valid\. We could not find your number/);
    await call.gathered(code);
    expect(lastSpeech()).toBe(CONNECTING);
    expect(await activeReservations(customer.id)).toHaveLength(1);
  });

  it("five wrong codes from one number in 24 h lock it out across calls; the lock is spoken and ends with the window", async () => {
    const fx = await agentLineFixture({
      codeTries: 3,
      lockout: { failures: 5, windowHours: 24, lockHours: 24 },
    });
    const code = uniqueCode();
    await seedCustomer(fx, { numbers: [], code });
    const number = stockholmNumber();
    const first = await dialIn(fx, number);
    for (let i = 0; i < 3; i++) await first.gathered("000000");
    // Three tries per call, no customer service: goodbye.
    expect(lastSpeech()).toBe("Please contact customer service to open an account. Goodbye.");
    expect((await goodbye(first))?.status).toBe("unidentified");

    const second = await dialIn(fx, number);
    await second.gathered("000001");
    expect(lastPrompt()).toMatch(/^That customer code is not valid/);
    await second.gathered("000002");
    expect(lastSpeech()).toBe(
      "Too many wrong customer codes were entered from this number. Please try again tomorrow. Goodbye.",
    );
    expect((await goodbye(second))?.status).toBe("locked_out");

    // Even the right code is not asked for now: the number is locked before any prompt.
    const third = await dialIn(fx, number);
    expect(lastSpeech()).toMatch(/^Too many wrong customer codes/);
    expect((await goodbye(third))?.status).toBe("locked_out");

    // The same five failures, moved back past the lock: the number may try again.
    const old = Date.now() - 49 * 3_600_000;
    const { eq } = await import("drizzle-orm");
    await db().update(codeFailures).set({ at: old }).where(eq(codeFailures.number, number));
    const fourth = await dialIn(fx, number);
    expect(lastPrompt()).toMatch(CODE_PROMPT);
    await fourth.gathered(code);
    expect(lastSpeech()).toBe(CONNECTING);
  });

  it("failures spread over more than 24 h never lock the number", async () => {
    const fx = await agentLineFixture();
    const number = stockholmNumber();
    const now = Date.now();
    // Four in the last day, one two days ago: never five inside one window.
    await db()
      .insert(codeFailures)
      .values(
        [48, 20, 10, 5, 1].map((h, i) => ({ id: `cf_t_${number}_${i}`, number, at: now - h * 3_600_000 })),
      );
    await dialIn(fx, number);
    expect(lastPrompt()).toMatch(CODE_PROMPT);
  });

  it("no code (star) goes to customer service when the line has a number for it", async () => {
    const fx = await agentLineFixture({ customerServiceNumber: "+4686001099" });
    const call = await dialIn(fx, stockholmNumber());
    await call.gathered("*", "invalid");
    await call.gathered("*", "invalid");
    expect(lastSpeech()).toBe("We are transferring you to customer service, who can help you get started.");
    await call.speakEnded();
    const transfers = telnyx.ofAction("transfer");
    expect(transfers.map((t) => t.leg)).toEqual([call.callerLeg]);
    expect(transfers[0]?.body).toMatchObject({ to: "+4686001099", from: fx.number });
    expect((await callRecord(call.sessionId))?.status).toBe("unidentified");
  });
});

describe("refused before an agent", () => {
  it("a blacklisted number hears the entry's reason and is hung up on; nothing is reserved", async () => {
    const fx = await agentLineFixture();
    const customer = await seedCustomer(fx);
    await blacklistNumber(customer.number, "of repeated abusive behaviour towards our agents");
    const call = await dialIn(fx, customer.number);
    expect(lastSpeech()).toBe(
      "We are sorry, but you can't use this service because of repeated abusive behaviour towards our agents. Goodbye.",
    );
    expect((await goodbye(call))?.status).toBe("blacklisted");
    expect(await activeReservations(customer.id)).toHaveLength(0);
    expect(telnyx.ofAction("dial")).toHaveLength(0);
  });

  it("a blacklisted customer entering their code hears their reason", async () => {
    const fx = await agentLineFixture();
    const code = uniqueCode();
    const customer = await seedCustomer(fx, { numbers: [], code });
    await blacklistCustomer(customer.id, "payments are overdue on another account");
    const call = await dialIn(fx, stockholmNumber());
    await call.gathered(code);
    expect(lastSpeech()).toBe(
      "We are sorry, but you can't use this service because payments are overdue on another account. Goodbye.",
    );
    expect((await goodbye(call))?.status).toBe("blacklisted");
  });
});
