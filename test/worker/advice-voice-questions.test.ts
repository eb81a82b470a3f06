/**
 * Voice questions on a paid advice line, end to end in workerd: the line asks the caller's name
 * after the welcome and the topic after the payment, through Telnyx's speech gather; the answers
 * are kept with the call (the API and calls.csv show them), a question not understood is asked
 * once more, and a card number said aloud is never stored.
 */
import { describe, expect, it } from "vitest";
import { TestCall } from "./support/call";
import { agentRole, card, CARDS, connectRep, keyInCard, payloadOf, repLeg } from "./support/advice-call";
import { adviceLine, PER_MINUTE } from "./support/advice-lines";
import { dumpTurso } from "./support/advice-scan";
import { callRecord } from "./support/seed";
import { useWireFakes } from "./support/wire-fakes";
import type { AdviceConfigInput } from "../../src/products/advice/config";
import { api, expectProblem, json, uniqueNumber } from "./api-helpers";

const { telnyx } = useWireFakes();

const ASKING = {
  ...PER_MINUTE,
  voiceQuestions: [
    { field: "caller_name", prompt: "Please say your name.", at: "before_terms" },
    { field: "topic", prompt: "In a few words, what is your question about?", at: "before_rep" },
  ],
} satisfies AdviceConfigInput;

const asks = () => telnyx.ofAction("gather_using_ai");

/** Telnyx's speech gather ended: `answer` for the asked field, or nothing understood. */
function voiceAnswered(call: TestCall, field: string, answer: string | null) {
  return call.send("call.ai_gather.ended", call.callerLeg, "caller", {
    status: answer === null ? "invalid" : "valid",
    result: answer === null ? {} : { [field]: answer },
  });
}

describe("voice questions on an advice line", () => {
  it("asks after the welcome and after the payment, asks again once, and keeps the answers with the call", async () => {
    const line = await adviceLine(ASKING);
    const rep = line.agents[0]!;
    const call = new TestCall("+15557770301", line.number);
    await call.start();
    await call.answered();
    await call.speakEnded(); // the welcome

    expect(asks()).toHaveLength(1);
    expect(asks()[0]).toMatchObject({
      leg: call.callerLeg,
      body: {
        greeting: "Please say your name.",
        parameters: {
          type: "object",
          properties: { caller_name: { type: "string" } },
          required: ["caller_name"],
        },
      },
    });
    // Nothing heard: the same question once more, then the terms.
    await voiceAnswered(call, "caller_name", null);
    expect(asks()).toHaveLength(2);
    expect(asks()[1]!.body.greeting).toBe("Sorry, I did not catch that. Please say your name.");
    await voiceAnswered(call, "caller_name", "Ada Lovelace");
    expect(payloadOf(telnyx.ofAction("gather_using_speak").at(-1))).toMatch(/Press 1 to accept/);

    call.advance(5_000);
    await call.gathered("1");
    await keyInCard(call, card(CARDS.visa));
    // Approved, then the topic before a rep is reserved.
    expect(asks()).toHaveLength(3);
    expect(asks()[2]!.body.greeting).toBe("In a few words, what is your question about?");
    expect(telnyx.ofAction("dial")).toHaveLength(0);
    await voiceAnswered(call, "topic", "my card 4242 4242 4242 4242 was charged twice");
    expect(telnyx.ofAction("dial")).toHaveLength(1);

    await call.speakEnded();
    await connectRep(call, rep.id);
    call.advance(61_000);
    await call.hangup(call.callerLeg, "caller");
    call.advance(500);
    await call.hangup(repLeg(call), agentRole(rep.id));

    const answers = { caller_name: "Ada Lovelace", topic: "my card [digits removed] was charged twice" };
    expect(await callRecord(call.sessionId)).toMatchObject({ status: "completed", answers });
    const viaApi = await json(await api(`/api/v1/calls/${call.sessionId}`), 200);
    expect(viaApi.answers).toEqual(answers);

    const csv = (await (await api(`/api/v1/calls.csv?line_id=${line.id}`)).text()).split("\r\n");
    const column = csv[0]!.split(",").indexOf("answers");
    expect(column).toBeGreaterThan(-1);
    expect(csv[1]).toContain(
      '"{""caller_name"":""Ada Lovelace"",""topic"":""my card [digits removed] was charged twice""}"',
    );

    // The number said aloud is nowhere in the database (it was keyed in too, and is not kept either).
    const { text } = await dumpTurso();
    expect(text).not.toContain("4242 4242 4242 4242");
    expect(text).not.toContain(CARDS.visa);
  });

  it("goes on without an answer when the question is not understood twice", async () => {
    const line = await adviceLine(ASKING);
    const call = new TestCall("+15557770302", line.number);
    await call.start();
    await call.answered();
    await call.speakEnded();
    await voiceAnswered(call, "caller_name", null);
    await voiceAnswered(call, "caller_name", null);
    expect(asks()).toHaveLength(2);
    expect(payloadOf(telnyx.ofAction("gather_using_speak").at(-1))).toMatch(/Press 1 to accept/);
    call.advance(5_000);
    await call.gathered("2"); // declines the terms: the call ends, the record says what was heard
    await call.speakEnded();
    await call.hangup(call.callerLeg, "caller");
    expect(await callRecord(call.sessionId)).toMatchObject({ answers: { caller_name: null } });
  });

  it("refuses card fields entered by voice when a line is configured", async () => {
    const res = await api("/api/v1/lines", {
      method: "POST",
      body: {
        name: "Voice card",
        product: "advice",
        number: uniqueNumber(),
        config: { ...PER_MINUTE, cardSteps: { cvc: "voice" } },
      },
    });
    const problem = await expectProblem(res, 422);
    expect(JSON.stringify(problem)).toMatch(/keypad-only/);
  });
});
