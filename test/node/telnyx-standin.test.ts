// The Telnyx stand-in as the Worker sees it: signed webhooks in the v2 envelope, Call Control
// commands with Telnyx's errors, realistic call behaviour at 1/50 speed, delivery faults, and every
// webhook and accepted body checked against Telnyx's published OpenAPI spec.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BODY_RULES } from "../../tools/telnyx-standin/body-rules";
import {
  type HeardItem,
  type SimCall,
  type StandIn,
  startTelnyxStandin,
} from "../../tools/telnyx-standin/server";
import {
  commandSchema,
  loadTelnyxSpec,
  resolveSchema,
  webhookIssues,
} from "../../tools/telnyx-standin/spec-check";
import {
  type RecordedWebhook,
  type WebhookRecorder,
  startWebhookRecorder,
} from "../../tools/telnyx-standin/webhook-recorder";
import { NEEDS_SHARED, warnSkipped } from "./support/shared-reference";

const SCALE = 0.02;
const spec = loadTelnyxSpec();
let standin: StandIn;
let hooks: WebhookRecorder;
let respond: (e: RecordedWebhook) => number = () => 200;

beforeAll(async () => {
  hooks = await startWebhookRecorder((e) => respond(e));
  standin = await startTelnyxStandin({
    webhookUrl: hooks.url,
    timeScale: SCALE,
    agents: {
      "+15550001": { kind: "answer", ringMs: 1000 },
      "+15550002": { kind: "busy" },
      "+15550003": { kind: "no_answer" },
      "+15550004": { kind: "reject" },
    },
    // A calling card's destinations, by prefix: an exact number above still wins over these.
    destinationPrefixes: {
      "+4420": { kind: "busy" },
      "+44207": { kind: "not_found" },
      "+4477": { kind: "no_answer" },
    },
  });
  await hooks.setPublicKey(standin.publicKeyBase64);
});

afterAll(async () => {
  await standin.close();
  await hooks.close();
});

type Reply = {
  status: number;
  json: { data?: Record<string, unknown>; errors?: Array<Record<string, unknown>> };
};

async function cmd(id: string, action: string, body: object = {}, auth = "Bearer KEY_test"): Promise<Reply> {
  const path = action === "dial" ? "/v2/calls" : `/v2/calls/${encodeURIComponent(id)}/actions/${action}`;
  const res = await fetch(standin.url + path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Reply["json"] };
}

/** A command the test expects Telnyx to accept: a refusal fails here, not as a missing webhook later. */
async function ok(id: string, action: string, body: object = {}): Promise<Reply["json"]> {
  const reply = await cmd(id, action, body);
  expect(reply, `${action} refused: ${JSON.stringify(reply.json)}`).toMatchObject({ status: 200 });
  return reply.json;
}

const on = (id: string, type: string, more: (e: RecordedWebhook) => boolean = () => true) =>
  hooks.waitFor((e) => e.payload.call_control_id === id && e.eventType === type && more(e));

const eventsOf = (id: string, type?: string) =>
  hooks.events.filter((e) => e.payload.call_control_id === id && (!type || e.eventType === type));

async function answeredCall(to = "+4630000001") {
  const call = await standin.placeCall("+4670000001", to);
  expect((await cmd(call.callControlId, "answer")).status).toBe(200);
  await on(call.callControlId, "call.answered");
  return call;
}

async function dial(to: string, extra: object = {}): Promise<string> {
  const r = await cmd("", "dial", { connection_id: "conn", to, from: "+4630000001", ...extra });
  expect(r.status).toBe(200);
  return String(r.json.data?.call_control_id);
}

/** Resolves once the caller has heard a gather prompt (keys or voice) at or after index `from` (no race with `on`). */
function promptHeard(call: SimCall, from = 0): Promise<void> {
  const isPrompt = (h: HeardItem) => (h.kind === "speak" && h.gather) || h.kind === "ask";
  if (call.heard.slice(from).some(isPrompt)) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no prompt heard")), 5000);
    const off = call.on((h) => {
      if (!isPrompt(h)) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

const voice = { voice: "female" };
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("inbound calls and media", () => {
  it("signs call.initiated for a placed call (incoming, parked) in the v2 envelope", async () => {
    const call = await standin.placeCall("+4670000001", "+4630000001");
    const e = await on(call.callControlId, "call.initiated");
    expect(e.payload).toMatchObject({ direction: "incoming", state: "parked", from: "+4670000001" });
    expect(e.payload.call_session_id).toBe(call.callSessionId);
    expect(e.body).toMatchObject({ data: { record_type: "event" }, meta: { attempt: 1 } });
    expect(hooks.rejected).toBe(0);
  });

  it("answers, then speaks for about words / 2.5 seconds and queues the next speak behind it", async () => {
    const call = await answeredCall();
    const id = call.callControlId;
    const long = "one two three four five six seven eight nine ten";
    await ok(id, "speak", { payload: long, ...voice });
    await ok(id, "speak", { payload: "bye", ...voice });
    const first = await on(id, "call.speak.ended");
    const started = eventsOf(id, "call.speak.started");
    expect(first.payload.status).toBe("completed");
    expect(started).toHaveLength(1); // the second waits for the first
    // Ten words take ~4 s; at 1/50 speed the end comes no sooner than ~80 ms after the start.
    const spoken = Date.parse(first.occurredAt) - Date.parse(started[0]?.occurredAt ?? "");
    expect(spoken).toBeGreaterThanOrEqual(0.8 * 4000 * SCALE);
    expect(call.heard.map((h) => (h.kind === "speak" ? h.text : h.kind))).toEqual([long, "bye"]);
  });

  it("refuses audio commands before answer (90034) and any command after the end (90018)", async () => {
    const call = await standin.placeCall("+4670000001", "+4630000001");
    const early = await cmd(call.callControlId, "speak", { payload: "hi", ...voice });
    expect(early.status).toBe(422);
    expect(early.json.errors?.[0]?.code).toBe("90034");
    await call.hangup();
    const late = await cmd(call.callControlId, "hangup");
    expect(late.status).toBe(422);
    expect(late.json.errors?.[0]).toMatchObject({ code: "90018", title: "Call has already ended" });
    expect((await on(call.callControlId, "call.hangup")).payload).toMatchObject({
      hangup_cause: "originator_cancel",
      hangup_source: "caller",
    });
  });

  it("loops a playback until playback_stop, and speaks to both bridged legs with target_legs both", async () => {
    const call = await answeredCall();
    const id = call.callControlId;
    await ok(id, "playback_start", { audio_url: "https://example.test/hold.mp3", loop: "infinity" });
    await on(id, "call.playback.started");
    await settle(3000 * SCALE * 3);
    expect(eventsOf(id, "call.playback.ended")).toHaveLength(0);
    await ok(id, "playback_stop");
    expect((await on(id, "call.playback.ended")).payload.status).toBe("cancelled");
    const agent = await dial("+15550001");
    await on(agent, "call.answered");
    await ok(id, "bridge", { call_control_id: agent });
    await ok(id, "speak", { payload: "One minute left", ...voice, target_legs: "both" });
    await on(id, "call.speak.started");
    expect(standin.heardBy(agent).some((h) => h.kind === "speak" && h.text === "One minute left")).toBe(true);
    expect(call.heard.some((h) => h.kind === "speak" && h.text === "One minute left")).toBe(true);
  });

  it("keeps client_state on every later event of the leg once a command set it", async () => {
    const call = await standin.placeCall("+4670000001", "+4630000001");
    const state = Buffer.from('{"s":"abc"}').toString("base64");
    await ok(call.callControlId, "answer", { client_state: state });
    // Answering takes effect after Telnyx's reply, as it does at Telnyx: audio waits for call.answered.
    expect((await on(call.callControlId, "call.answered")).payload.client_state).toBe(state);
    await ok(call.callControlId, "speak", { payload: "hello", ...voice });
    const ended = await on(call.callControlId, "call.speak.ended");
    expect(ended.payload.client_state).toBe(state);
  });
});

describe("gathering digits", () => {
  const gather = { payload: "Enter your PIN", ...voice, maximum_tries: 1, timeout_millis: 3000 };

  it("collects keys pressed during the prompt (barge-in) up to the terminator", async () => {
    const call = await answeredCall();
    await ok(call.callControlId, "gather_using_speak", { ...gather, minimum_digits: 4, maximum_digits: 8 });
    await promptHeard(call);
    call.pressKeys("4242#");
    const e = await on(call.callControlId, "call.gather.ended");
    expect(e.payload).toMatchObject({ digits: "4242", status: "valid" });
  });

  it("asks a voice question (gather_using_ai) and reports the spoken answer as the one field", async () => {
    const call = await answeredCall();
    const parameters = {
      type: "object",
      properties: { caller_name: { type: "string" } },
      required: ["caller_name"],
    };
    await ok(call.callControlId, "gather_using_ai", {
      greeting: "Please say your name.",
      parameters,
      user_response_timeout_ms: 5000,
    });
    await promptHeard(call);
    expect(call.heard.at(-1)).toMatchObject({
      kind: "ask",
      text: "Please say your name.",
      field: "caller_name",
    });
    call.pressKeys("1"); // keys are not an answer
    call.say("Anna Lind");
    const e = await on(call.callControlId, "call.ai_gather.ended");
    expect(e.payload).toMatchObject({ status: "valid", result: { caller_name: "Anna Lind" } });
  });

  it("a voice question met with silence ends invalid with an empty result", async () => {
    const call = await answeredCall();
    const parameters = { type: "object", properties: { topic: { type: "string" } } };
    await ok(call.callControlId, "gather_using_ai", {
      greeting: "Topic?",
      parameters,
      user_response_timeout_ms: 2000,
    });
    const e = await on(call.callControlId, "call.ai_gather.ended");
    expect(e.payload).toMatchObject({ status: "invalid", result: {} });
  });

  it("ends with status timeout and no digits when the caller stays silent", async () => {
    const call = await answeredCall();
    await ok(call.callControlId, "gather_using_speak", gather);
    const e = await on(call.callControlId, "call.gather.ended");
    expect(e.payload).toMatchObject({ digits: "", status: "timeout" });
  });

  it("reports invalid for keys outside valid_digits, and ignores keys pressed long before a gather", async () => {
    const call = await answeredCall();
    call.pressKeys("9"); // no gather listening: lost once the inter-digit window passes
    await settle(5000 * SCALE * 2);
    await ok(call.callControlId, "gather_using_speak", { ...gather, valid_digits: "12" });
    await promptHeard(call);
    call.pressKeys("3");
    const e = await on(call.callControlId, "call.gather.ended");
    expect(e.payload).toMatchObject({ status: "invalid", digits: "" });
  });

  it("re-prompts with invalid_payload until maximum_tries, then reports the last attempt", async () => {
    const call = await answeredCall();
    await ok(call.callControlId, "gather_using_speak", {
      ...gather,
      maximum_tries: 2,
      minimum_digits: 2,
      maximum_digits: 2,
      invalid_payload: "That was not valid",
    });
    call.on((h) => h.kind === "speak" && h.text === "That was not valid" && call.pressKeys("12"));
    await promptHeard(call);
    call.pressKeys("7#");
    const e = await on(call.callControlId, "call.gather.ended");
    expect(e.payload).toMatchObject({ status: "valid", digits: "12" });
  });
});

describe("dialled agents, bridges and hang-ups", () => {
  it.each([
    ["+15550002", "user_busy"],
    ["+15550003", "timeout"],
    ["+15550004", "call_rejected"],
    ["+442012345678", "user_busy"],
    ["+442079460000", "not_found"],
    ["+447700900123", "timeout"],
  ])("a dial to %s ends with %s", async (to, cause) => {
    const id = await dial(to, { timeout_secs: 5 });
    expect((await on(id, "call.initiated")).payload).toMatchObject({ direction: "outgoing", to });
    expect((await on(id, "call.hangup")).payload.hangup_cause).toBe(cause);
    expect(eventsOf(id, "call.answered")).toHaveLength(0);
  });

  it("bridges an answered agent on answer (link_to + bridge_on_answer) and the caller hears it", async () => {
    const call = await answeredCall();
    const agent = await dial("+15550001", { link_to: call.callControlId, bridge_on_answer: true });
    await on(agent, "call.answered");
    const bridged = await on(agent, "call.bridged");
    expect(bridged.payload.call_session_id).toBe(call.callSessionId);
    await on(call.callControlId, "call.bridged");
    expect(call.heard.map((h) => h.kind)).toContain("bridged");
  });

  it("hangs up the other leg when a bridged leg hangs up, unless it parks after unbridge", async () => {
    const call = await answeredCall();
    const agent = await dial("+15550001");
    await on(agent, "call.answered");
    await ok(call.callControlId, "bridge", { call_control_id: agent });
    await on(agent, "call.bridged");
    await call.hangup();
    expect((await on(agent, "call.hangup")).payload.hangup_cause).toBe("normal_clearing");

    const parked = await answeredCall();
    const agent2 = await dial("+15550001");
    await on(agent2, "call.answered");
    await ok(parked.callControlId, "bridge", { call_control_id: agent2, park_after_unbridge: "self" });
    await on(agent2, "call.bridged");
    await ok(agent2, "hangup");
    await on(agent2, "call.hangup");
    await settle(200 * SCALE * 10);
    expect(eventsOf(parked.callControlId, "call.hangup")).toHaveLength(0);
    expect((await cmd(parked.callControlId, "speak", { payload: "still here", ...voice })).status).toBe(200);
  });

  it("transfers to a new leg that reports bridged before it answers", async () => {
    const call = await answeredCall();
    await ok(call.callControlId, "transfer", { to: "+15550001" });
    const bridged = await on(call.callControlId, "call.bridged");
    const agentId = String(
      (
        await hooks.waitFor(
          (e) =>
            e.eventType === "call.answered" &&
            e.payload.to === "+15550001" &&
            e.payload.call_session_id === call.callSessionId,
        )
      ).payload.call_control_id,
    );
    const agentBridged = await on(agentId, "call.bridged");
    const answered = await on(agentId, "call.answered");
    expect(hooks.events.indexOf(agentBridged)).toBeLessThan(hooks.events.indexOf(answered));
    expect(bridged.payload.call_session_id).toBe(call.callSessionId);
  });

  it("hangs a leg up with cause time_limit after time_limit_secs", async () => {
    const id = await dial("+15550001", { time_limit_secs: 30 });
    expect((await on(id, "call.hangup")).payload.hangup_cause).toBe("time_limit");
  });

  it("enqueues and dequeues a leg, and saves a recording it can serve", async () => {
    const call = await answeredCall();
    const id = call.callControlId;
    await ok(id, "record_start", { format: "wav", channels: "single" });
    await ok(id, "enqueue", { queue_name: "pay-private" });
    expect((await on(id, "call.enqueued")).payload.queue).toBe("pay-private");
    await ok(id, "leave_queue");
    expect((await on(id, "call.dequeued")).payload.reason).toBe("leave");
    await ok(id, "record_stop");
    const saved = await on(id, "call.recording.saved");
    const url = (saved.payload.recording_urls as { wav: string }).wav;
    const file = await fetch(url);
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(0, 4)
        .toString(),
    ).toBe("RIFF");
  });
});

describe("API errors and idempotency", () => {
  it("answers 401 in Telnyx's shape without a Bearer key", async () => {
    const call = await standin.placeCall("+4670000001", "+4630000001");
    for (const auth of ["", "Basic abc", "Bearer "]) {
      const r = await cmd(call.callControlId, "answer", {}, auth);
      expect(r.status).toBe(401);
      expect(r.json.errors?.[0]).toMatchObject({ code: "10009", title: "Authentication failed" });
    }
  });

  it("answers 422 naming the bad field", async () => {
    const call = await answeredCall();
    const noVoice = await cmd(call.callControlId, "speak", { payload: "hi" });
    expect(noVoice.status).toBe(422);
    expect(noVoice.json.errors?.[0]).toMatchObject({ code: "10004", source: { pointer: "/voice" } });
    const short = await cmd("", "dial", { connection_id: "c", to: "+1", from: "+2", time_limit_secs: 5 });
    expect(short.json.errors?.[0]).toMatchObject({ code: "10033", source: { pointer: "/time_limit_secs" } });
    const badState = await cmd(call.callControlId, "speak", {
      payload: "hi",
      ...voice,
      client_state: "{raw}",
    });
    expect(badState.status).toBe(422);
  });

  it("accepts a repeated command_id without running it again", async () => {
    const call = await answeredCall();
    const body = { payload: "only once", ...voice, command_id: "s1:v3:0" };
    expect((await cmd(call.callControlId, "speak", body)).status).toBe(200);
    expect((await cmd(call.callControlId, "speak", body)).status).toBe(200);
    await on(call.callControlId, "call.speak.ended");
    await settle(50);
    expect(eventsOf(call.callControlId, "call.speak.started")).toHaveLength(1);
    const recorded = standin.commands.filter((c) => c.command_id === "s1:v3:0");
    expect(recorded.map((c) => c.executed)).toEqual([true, false]);
  });

  it("fails the next command on request (503), and the retry with the same command_id runs", async () => {
    const call = await answeredCall();
    standin.failNext({ action: "speak", status: 503 });
    const body = { payload: "retry me", ...voice, command_id: "s2:v1:0" };
    const first = await cmd(call.callControlId, "speak", body);
    expect(first.status).toBe(503);
    expect(first.json.errors?.[0]?.code).toBe("10007");
    expect((await cmd(call.callControlId, "speak", body)).status).toBe(200);
    await on(call.callControlId, "call.speak.ended");
  });
});

describe("webhook delivery", () => {
  it("redelivers the same event id with attempt 2 when the receiver answers 5xx", async () => {
    let failed = false;
    respond = (e) => (e.eventType === "call.initiated" && !failed ? ((failed = true), 500) : 200);
    const call = await standin.placeCall("+4670000002", "+4630000001");
    const second = await on(call.callControlId, "call.initiated", (e) => e.attempt === 2);
    expect(eventsOf(call.callControlId, "call.initiated").map((e) => e.id)).toEqual([second.id, second.id]);
    respond = () => 200;
  });

  it("delivers every event twice with the same id in duplicate mode", async () => {
    standin.setDelivery({ duplicate: true });
    const call = await standin.placeCall("+4670000003", "+4630000001");
    const first = await on(call.callControlId, "call.initiated");
    await hooks.waitFor((e) => e.id === first.id && e !== first);
    standin.setDelivery({});
  });
});

if (!spec) warnSkipped("telnyx-standin.test.ts", "Telnyx OpenAPI spec", "the stand-in's webhooks and bodies");
describe.skipIf(!spec)(`${NEEDS_SHARED} conformance with Telnyx's OpenAPI spec`, () => {
  it("every webhook received in this file matches its Call*Event schema", () => {
    const issues = hooks.events.flatMap((e) => webhookIssues(spec!, e.body));
    expect(issues).toEqual([]);
    expect(new Set(hooks.events.map((e) => e.eventType)).size).toBeGreaterThan(10);
  });

  it("the stand-in requires what the spec requires and types fields as the spec does", () => {
    for (const [action, rule] of Object.entries(BODY_RULES)) {
      const schema = commandSchema(spec!, action);
      expect([...rule.required].sort(), action).toEqual([...((schema.required as string[]) ?? [])].sort());
      const props = schema.properties as Record<string, unknown>;
      for (const [field, fieldRule] of Object.entries(rule.fields)) {
        const p = resolveSchema(spec!, props[field]);
        const kind = Array.isArray(p.oneOf) ? "oneOf" : p.enum ? "enum" : String(p.type);
        const ours = typeof fieldRule === "string" ? fieldRule : "enum" in fieldRule ? "enum" : "integer";
        const expected = kind === "oneOf" ? ["string|integer", "string|string[]"] : [kind];
        expect(expected, `${action}.${field}`).toContain(ours);
        if (typeof fieldRule === "object" && "min" in fieldRule) expect(p.minimum).toBe(fieldRule.min);
        if (typeof fieldRule === "object" && "enum" in fieldRule) expect(p.enum).toEqual(fieldRule.enum);
      }
    }
  });
});
