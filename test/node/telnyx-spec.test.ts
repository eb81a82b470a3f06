// Checks every request toTelnyxRequest builds, and every webhook field mapTelnyxWebhook reads,
// against Telnyx's published OpenAPI spec (../shared/reference/telnyx-openapi.yml, outside the repo).
// Without that file the checks are skipped loudly (and CI fails if they skip while ../shared exists).
import { describe, expect, it } from "vitest";
import { legId } from "../../src/ivr/types";
import type { TelnyxCommand, TelnyxCommandType } from "../../src/telnyx/commands";
import { pathOf, toTelnyxRequest, wireBody } from "../../src/telnyx/commands";
import { HANDLED_EVENT_TYPES } from "../../src/telnyx/webhook-events";
import { loadTelnyxSpec, TELNYX_SPEC_PATH as SPEC_PATH } from "../../tools/telnyx-standin/spec-check";
import { NEEDS_SHARED, warnSkipped } from "./support/shared-reference";

type Schema = Record<string, unknown>;
const isObj = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

const LEG = legId("v3:u5OAKGEPT3Dx8SZSSDRWEMdNH2OripQhO");
const OTHER = legId("v3:oTHER-leg_id");
const OPTS = {
  commandId: "sess:1:0",
  clientState: "eyJzIjoicyJ9",
  voice: "Telnyx.KokoroTTS.af",
  connectionId: "conn-1",
};

/** Every Telnyx-bound variant, with optional fields set; the Record makes a new variant a type error here. */
const SAMPLES: Record<TelnyxCommandType, TelnyxCommand> = {
  answer: { type: "answer", leg: LEG },
  speak: { type: "speak", leg: LEG, text: "Welcome", targetLegs: "both" },
  gather: {
    type: "gather",
    leg: LEG,
    prompt: "Enter your PIN",
    minDigits: 4,
    maxDigits: 6,
    terminator: "#",
    validDigits: "0123456789#",
    timeoutMs: 8000,
    interDigitTimeoutMs: 3000,
  },
  stop_gather: { type: "stop_gather", leg: LEG },
  ask_by_voice: {
    type: "ask_by_voice",
    leg: LEG,
    field: "caller_name",
    prompt: "Please say your name.",
    timeoutMs: 8000,
  },
  play: { type: "play", leg: LEG, audioUrl: "https://a.test/hold.mp3", loop: true },
  stop_playback: { type: "stop_playback", leg: LEG },
  dial: {
    type: "dial",
    role: "agent:ag_1",
    to: "+46700000001",
    from: "+46101234567",
    linkTo: LEG,
    timeoutSecs: 25,
    timeLimitSecs: 5,
    bridgeOnAnswer: true,
  },
  bridge: { type: "bridge", leg: LEG, other: OTHER, parkAfterUnbridge: "self", muteDtmf: "opposite" },
  enqueue: { type: "enqueue", leg: LEG, queue: "pay-sess-1", maxWaitSecs: 600 },
  leave_queue: { type: "leave_queue", leg: LEG },
  transfer: { type: "transfer", leg: LEG, to: "+46700000002", from: "+46101234567", timeoutSecs: 20 },
  record_start: { type: "record_start", leg: LEG, maxLengthSecs: 600, playBeep: false },
  record_stop: { type: "record_stop", leg: LEG },
  record_pause: { type: "record_pause", leg: LEG },
  record_resume: { type: "record_resume", leg: LEG },
  hangup: { type: "hangup", leg: LEG },
};

const EXTRA_CASES: [string, TelnyxCommand, Partial<typeof OPTS> & { targetClientState?: string }][] = [
  ["speak with a gender voice", { type: "speak", leg: LEG, text: "Hej" }, { voice: "female" }],
  ["play once", { type: "play", leg: LEG, audioUrl: "https://a.test/x.mp3", loop: false }, {}],
  ["transfer with target client_state", SAMPLES.transfer, { targetClientState: "dGFyZ2V0" }],
  ["dial with a long limit", { ...SAMPLES.dial, timeLimitSecs: 99_999 } as TelnyxCommand, {}],
];

/** Fields mapTelnyxWebhook reads, per event type (call_control_id is absent from recording.saved in the spec). */
const FIELDS_READ: Record<(typeof HANDLED_EVENT_TYPES)[number], string[]> = {
  "call.initiated": ["call_control_id", "call_session_id", "client_state", "direction", "from", "to"],
  "call.answered": ["call_control_id", "call_session_id", "client_state"],
  "call.speak.ended": ["call_control_id", "call_session_id", "client_state"],
  "call.playback.ended": ["call_control_id", "call_session_id", "client_state"],
  "call.gather.ended": ["call_control_id", "call_session_id", "client_state", "digits", "status"],
  "call.ai_gather.ended": ["call_control_id", "call_session_id", "client_state", "result", "status"],
  "call.dtmf.received": ["call_control_id", "call_session_id", "client_state", "digit"],
  "call.bridged": ["call_control_id", "call_session_id", "client_state"],
  "call.hangup": ["call_control_id", "call_session_id", "client_state", "hangup_cause"],
  "call.enqueued": ["call_control_id", "call_session_id", "client_state", "queue"],
  "call.dequeued": ["call_control_id", "call_session_id", "client_state", "queue"],
  "call.cost": [
    "call_control_id",
    "call_leg_id",
    "call_session_id",
    "client_state",
    "total_cost",
    "billed_duration_secs",
    "cost_parts",
  ],
  "call.recording.saved": [
    "call_leg_id",
    "call_session_id",
    "client_state",
    "recording_urls",
    "public_recording_urls",
    "recording_started_at",
    "recording_ended_at",
  ],
};

const loaded = loadTelnyxSpec();
if (!loaded) {
  warnSkipped("telnyx-spec.test.ts", `Telnyx OpenAPI spec at ${SPEC_PATH}`, "request shapes");
  describe(`${NEEDS_SHARED} Telnyx requests match the published OpenAPI spec`, () => {
    it.skip(`SKIPPED: ${SPEC_PATH} is missing, so nothing was checked against Telnyx's spec`, () => {});
  });
} else {
  const spec = loaded as unknown as Schema;
  const resolve = (s: unknown): Schema => {
    if (!isObj(s)) return {};
    if (typeof s.$ref !== "string") return s;
    const target = s.$ref
      .replace(/^#\//, "")
      .split("/")
      .reduce<unknown>((o, k) => (isObj(o) ? o[k] : undefined), spec);
    return resolve(target);
  };
  /** Properties and required names of an object schema, merging allOf parts. */
  const flatten = (s: unknown): { props: Record<string, unknown>; required: string[] } => {
    const r = resolve(s);
    const out = {
      props: { ...(isObj(r.properties) ? r.properties : {}) },
      required: [...((r.required as string[] | undefined) ?? [])],
    };
    for (const part of (r.allOf as unknown[] | undefined) ?? []) {
      const f = flatten(part);
      Object.assign(out.props, f.props);
      out.required.push(...f.required);
    }
    return out;
  };
  /** Problems with `value` against a (small subset of) JSON Schema: type, enum, min/max, oneOf/anyOf. */
  const problems = (value: unknown, raw: unknown): string[] => {
    const s = resolve(raw);
    const alternatives = (s.oneOf ?? s.anyOf) as unknown[] | undefined;
    if (alternatives && !alternatives.some((alt) => problems(value, alt).length === 0))
      return ["matches no oneOf/anyOf branch"];
    const out: string[] = [];
    const types = s.type === undefined ? [] : ([] as unknown[]).concat(s.type);
    const typeOk = (t: unknown) =>
      (t === "integer" && Number.isInteger(value)) ||
      (t === "number" && typeof value === "number") ||
      (t === "array" && Array.isArray(value)) ||
      (t === "object" && isObj(value)) ||
      (t === "null" && value === null) ||
      ((t === "string" || t === "boolean") && typeof value === t);
    if (types.length > 0 && !types.some(typeOk)) out.push(`type ${JSON.stringify(types)} expected`);
    if (Array.isArray(s.enum) && !s.enum.includes(value)) out.push(`not one of ${JSON.stringify(s.enum)}`);
    if (typeof s.minimum === "number" && typeof value === "number" && value < s.minimum)
      out.push(`below ${s.minimum}`);
    if (typeof s.maximum === "number" && typeof value === "number" && value > s.maximum)
      out.push(`above ${s.maximum}`);
    return out;
  };
  const paths = spec.paths as Record<string, Schema>;
  const findOperation = (reqPath: string): { template: string; op: Schema } | undefined => {
    const bare = reqPath.replace(/^\/v2/, "");
    for (const [template, item] of Object.entries(paths)) {
      const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, "[^/]+")}$`);
      if (re.test(bare) && isObj(item.post)) return { template, op: item.post };
    }
    return undefined;
  };

  const checkRequest = (cmd: TelnyxCommand, extra: Partial<typeof OPTS> & { targetClientState?: string }) => {
    const built = toTelnyxRequest(cmd, { ...OPTS, ...extra });
    const req = { path: pathOf(built), body: wireBody(built) };
    expect(req.path.startsWith("/v2/"), "path carries the /v2 prefix").toBe(true);
    const found = findOperation(req.path);
    expect(found, `POST ${req.path} exists in the spec`).toBeDefined();
    const content = resolve(resolve(found?.op.requestBody).content);
    const { props, required } = flatten(resolve(content["application/json"]).schema);
    const issues: string[] = [];
    for (const [field, value] of Object.entries(req.body)) {
      if (!(field in props)) issues.push(`${field}: not a property of the request schema`);
      else
        issues.push(...problems(value, props[field]).map((p) => `${field}=${JSON.stringify(value)}: ${p}`));
    }
    for (const field of required) if (!(field in req.body)) issues.push(`${field}: required but missing`);
    for (const field of ["command_id", "client_state"])
      if (field in props && !(field in req.body)) issues.push(`${field}: not sent`);
    expect(issues, `${found?.template}`).toEqual([]);
  };

  describe(`${NEEDS_SHARED} Telnyx requests match the published OpenAPI spec`, () => {
    for (const [type, cmd] of Object.entries(SAMPLES)) {
      it(`${type}: path, fields, required fields and enum values`, () => checkRequest(cmd, {}));
    }
    for (const [name, cmd, extra] of EXTRA_CASES) {
      it(`${name}: path, fields, required fields and enum values`, () => checkRequest(cmd, extra));
    }
  });

  describe(`${NEEDS_SHARED} Telnyx's call status (GET /calls/{call_control_id}) answers what the liveness check reads`, () => {
    it("is_alive and end_time are in the Call schema the status endpoint returns", () => {
      const item = paths["/calls/{call_control_id}"];
      const ok = resolve(resolve(resolve(resolve(item?.get).responses)["200"]).content);
      const data = flatten(flatten(resolve(ok["application/json"]).schema).props.data);
      expect(Object.keys(data.props)).toEqual(
        expect.arrayContaining(["is_alive", "end_time", "call_control_id"]),
      );
      expect(resolve(data.props.is_alive).type).toBe("boolean");
    });
  });

  describe(`${NEEDS_SHARED} Telnyx webhooks we map exist in the published OpenAPI spec`, () => {
    const schemas = resolve(resolve(spec.components).schemas);
    const eventSchemas = Object.entries(schemas).filter(([name]) => /^Call.*Event$/.test(name));
    const payloadFor = (eventType: string): Record<string, unknown> | undefined => {
      for (const [, raw] of eventSchemas) {
        const data = flatten(flatten(raw).props.data);
        const types = resolve(data.props.event_type).enum;
        if (Array.isArray(types) && types.includes(eventType)) return flatten(data.props.payload).props;
      }
      return undefined;
    };
    for (const eventType of HANDLED_EVENT_TYPES) {
      const fields = FIELDS_READ[eventType];
      it(`${eventType}: event type and the payload fields we read`, () => {
        const payload = payloadFor(eventType);
        expect(payload, `${eventType} has a Call*Event schema`).toBeDefined();
        expect(fields.filter((f) => !(f in (payload ?? {})))).toEqual([]);
      });
    }
  });
}
