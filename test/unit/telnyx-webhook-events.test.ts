import { describe, expect, it } from "vitest";
import { encodeClientState } from "../../src/telnyx/client-state";
import { mapTelnyxWebhook } from "../../src/telnyx/webhook-events";

const SESSION = "428c31b6-7af4-4bcb-b7f5-5013ef9657c1";
const OCCURRED = "2026-11-20T10:15:30.250Z";
const AT = Date.parse(OCCURRED);
const CALLER_LEG = "v3:caller-leg";
const AGENT_LEG = "v3:agent-leg";
const AGENT_STATE = encodeClientState({ s: SESSION, r: "agent:ag_123" });
const CALLER_STATE = encodeClientState({ s: SESSION, r: "caller" });

function webhook(eventType: string, payload: Record<string, unknown>, id = "ev-1") {
  return {
    data: {
      record_type: "event",
      event_type: eventType,
      id,
      occurred_at: OCCURRED,
      payload: { call_session_id: SESSION, call_leg_id: "leg-uuid", connection_id: "conn-1", ...payload },
    },
    meta: { attempt: 1, delivered_to: "https://example.test/webhooks/telnyx" },
  };
}

const eventOf = (body: unknown) => {
  const mapped = mapTelnyxWebhook(body);
  if (mapped.kind !== "event") throw new Error(`expected an event, got ${JSON.stringify(mapped)}`);
  return mapped;
};

describe("mapTelnyxWebhook", () => {
  it("maps an inbound call.initiated to call_started with the numbers, event id and session", () => {
    const body = webhook(
      "call.initiated",
      {
        call_control_id: CALLER_LEG,
        direction: "incoming",
        from: "+46701234567",
        to: "+46101234567",
        state: "parked",
      },
      "ev-42",
    );
    expect(mapTelnyxWebhook(body)).toEqual({
      kind: "event",
      eventId: "ev-42",
      sessionId: SESSION,
      event: {
        type: "call_started",
        leg: CALLER_LEG,
        from: "+46701234567",
        to: "+46101234567",
        at: AT,
        // Rep legs are dialled on the inbound call's own Call Control application.
        connectionId: "conn-1",
      },
      warnings: [],
    });
  });

  it("maps an outgoing call.initiated to leg_dialled with the role from our client_state", () => {
    const body = webhook("call.initiated", {
      call_control_id: AGENT_LEG,
      direction: "outgoing",
      from: "+46101234567",
      to: "+46700000001",
      client_state: AGENT_STATE,
    });
    expect(eventOf(body).event).toEqual({
      type: "leg_dialled",
      leg: AGENT_LEG,
      role: "agent:ag_123",
      at: AT,
    });
  });

  it("ignores an outgoing leg we did not tag (no role to give it)", () => {
    const body = webhook("call.initiated", {
      call_control_id: AGENT_LEG,
      direction: "outgoing",
      client_state: "garbage",
    });
    expect(mapTelnyxWebhook(body)).toMatchObject({ kind: "ignored", eventType: "call.initiated" });
  });

  it("maps call.answered to leg_answered for the agent and for the caller", () => {
    const agent = webhook("call.answered", { call_control_id: AGENT_LEG, client_state: AGENT_STATE });
    expect(eventOf(agent).event).toEqual({
      type: "leg_answered",
      leg: AGENT_LEG,
      role: "agent:ag_123",
      at: AT,
    });
    const caller = webhook("call.answered", { call_control_id: CALLER_LEG, client_state: CALLER_STATE });
    expect(eventOf(caller).event).toEqual({ type: "leg_answered", leg: CALLER_LEG, role: "caller", at: AT });
  });

  it("maps speak and playback endings, whatever their status", () => {
    const speak = webhook("call.speak.ended", { call_control_id: CALLER_LEG, status: "call_hangup" });
    expect(eventOf(speak).event).toEqual({ type: "speak_ended", leg: CALLER_LEG, at: AT });
    const playback = webhook("call.playback.ended", { call_control_id: CALLER_LEG, status: "completed" });
    expect(eventOf(playback).event).toEqual({ type: "playback_ended", leg: CALLER_LEG, at: AT });
  });

  it("maps call.gather.ended statuses to ours", () => {
    const cases: [string, string][] = [
      ["valid", "valid"],
      ["invalid", "invalid"],
      ["timeout", "timeout"],
      ["cancelled", "cancelled"],
      ["cancelled_amd", "cancelled"],
      ["call_hangup", "hangup"],
      ["something_new", "invalid"],
    ];
    for (const [telnyx, ours] of cases) {
      const body = webhook("call.gather.ended", {
        call_control_id: CALLER_LEG,
        digits: "1234",
        status: telnyx,
      });
      expect(eventOf(body).event).toEqual({
        type: "digits_gathered",
        leg: CALLER_LEG,
        digits: "1234",
        status: ours,
        at: AT,
      });
    }
  });

  it("treats missing or null digits as none entered", () => {
    for (const digits of [undefined, null]) {
      const body = webhook("call.gather.ended", { call_control_id: CALLER_LEG, digits, status: "timeout" });
      expect(eventOf(body).event).toMatchObject({ type: "digits_gathered", digits: "", status: "timeout" });
    }
  });

  it("maps call.bridged to legs_bridged with the leg's role", () => {
    const body = webhook("call.bridged", { call_control_id: AGENT_LEG, client_state: AGENT_STATE });
    expect(eventOf(body).event).toEqual({
      type: "legs_bridged",
      leg: AGENT_LEG,
      role: "agent:ag_123",
      at: AT,
    });
  });

  it("maps call.hangup causes, unknown or missing ones to unspecified", () => {
    const cases: [string | undefined, string][] = [
      ["normal_clearing", "normal_clearing"],
      ["originator_cancel", "originator_cancel"],
      ["time_limit", "time_limit"],
      ["user_busy", "user_busy"],
      ["no_answer", "no_answer"],
      ["not_found", "not_found"],
      ["sip_gateway_error", "unspecified"],
      [undefined, "unspecified"],
    ];
    for (const [cause, ours] of cases) {
      const body = webhook("call.hangup", {
        call_control_id: AGENT_LEG,
        client_state: AGENT_STATE,
        hangup_cause: cause,
      });
      expect(eventOf(body).event).toEqual({
        type: "leg_hung_up",
        leg: AGENT_LEG,
        role: "agent:ag_123",
        cause: ours,
        source: "unknown",
        at: AT,
      });
    }
  });

  it("maps a key pressed outside a gather (call.dtmf.received) to dtmf_received", () => {
    const body = webhook("call.dtmf.received", {
      call_control_id: CALLER_LEG,
      client_state: CALLER_STATE,
      digit: "#",
    });
    expect(eventOf(body).event).toEqual({ type: "dtmf_received", leg: CALLER_LEG, digit: "#", at: AT });
  });

  it("keeps who hung up (hangup_source) for the call record", () => {
    const body = webhook("call.hangup", {
      call_control_id: CALLER_LEG,
      hangup_cause: "normal_clearing",
      hangup_source: "caller",
    });
    expect(eventOf(body).event).toMatchObject({ type: "leg_hung_up", role: "caller", source: "caller" });
  });

  it("maps queue events and Telnyx's call cost (in exact micro-units of its currency)", () => {
    const queued = webhook("call.enqueued", {
      call_control_id: AGENT_LEG,
      client_state: AGENT_STATE,
      queue: "pay-1",
    });
    expect(eventOf(queued).event).toEqual({ type: "leg_enqueued", leg: AGENT_LEG, queue: "pay-1", at: AT });
    const left = webhook("call.dequeued", {
      call_control_id: AGENT_LEG,
      client_state: AGENT_STATE,
      queue: "pay-1",
      reason: "leave",
    });
    expect(eventOf(left).event).toEqual({ type: "leg_dequeued", leg: AGENT_LEG, queue: "pay-1", at: AT });
    const cost = webhook("call.cost", {
      call_control_id: CALLER_LEG,
      call_leg_id: "leg-uuid",
      total_cost: "0.0106",
      billed_duration_secs: 120,
      status: "success",
      cost_parts: [{ call_part: "call-control", cost: "0.0018", currency: "USD", rate: "0.0018" }],
    });
    expect(mapTelnyxWebhook(cost)).toEqual({
      kind: "cost",
      eventId: "ev-1",
      cost: {
        sessionId: SESSION,
        legId: "leg-uuid",
        totalMicros: 10_600,
        currency: "USD",
        billedSec: 120,
        at: AT,
      },
    });
  });

  it("treats a leg without client_state as the caller (hung up before we answered)", () => {
    const body = webhook("call.hangup", {
      call_control_id: CALLER_LEG,
      hangup_cause: "originator_cancel",
      hangup_source: "caller",
    });
    expect(eventOf(body).event).toMatchObject({
      type: "leg_hung_up",
      role: "caller",
      cause: "originator_cancel",
    });
  });

  it("never takes an unrecognised client_state for the caller: it is reported, and never throws", () => {
    for (const clientState of ["%%%", btoa("not json"), btoa(JSON.stringify({ s: SESSION, r: "boss" }))]) {
      const body = webhook("call.answered", { call_control_id: CALLER_LEG, client_state: clientState });
      const mapped = eventOf(body);
      expect(mapped.event).toMatchObject({ type: "leg_answered", role: "unknown:client_state" });
      expect(mapped.warnings).toEqual(["client_state is not ours: leg role unrecognised"]);
    }
    // No client_state at all is the inbound caller before we answered.
    const bare = eventOf(webhook("call.answered", { call_control_id: CALLER_LEG, client_state: null }));
    expect(bare).toMatchObject({ event: { role: "caller" }, warnings: [] });
  });

  it("maps call.recording.saved preferring the mp3 url, with the duration from its timestamps", () => {
    const body = webhook("call.recording.saved", {
      call_control_id: CALLER_LEG,
      channels: "single",
      recording_started_at: "2026-11-20T10:00:00.000Z",
      recording_ended_at: "2026-11-20T10:01:05.400Z",
      recording_urls: { wav: "https://rec.test/a.wav", mp3: "https://rec.test/a.mp3" },
      public_recording_urls: { mp3: "https://public.test/a.mp3" },
    });
    expect(eventOf(body).event).toEqual({
      type: "recording_saved",
      leg: CALLER_LEG,
      url: "https://rec.test/a.mp3",
      durationSec: 65,
      at: AT,
    });
  });

  it("takes a wav url when no mp3 exists, and the leg id when call_control_id is absent (as in the spec)", () => {
    const body = webhook("call.recording.saved", {
      call_leg_id: "leg-uuid",
      recording_urls: { wav: "https://rec.test/a.wav", mp3: null },
    });
    expect(eventOf(body).event).toEqual({
      type: "recording_saved",
      leg: "leg-uuid",
      url: "https://rec.test/a.wav",
      durationSec: 0,
      at: AT,
    });
  });

  it("falls back to client_state for the session when call_session_id is missing", () => {
    const body = webhook("call.answered", {
      call_control_id: AGENT_LEG,
      call_session_id: undefined,
      client_state: AGENT_STATE,
    });
    expect(eventOf(body).sessionId).toBe(SESSION);
  });

  it("prefers call_session_id over client_state's session", () => {
    const other = encodeClientState({ s: "other-session", r: "caller" });
    expect(
      eventOf(webhook("call.answered", { call_control_id: CALLER_LEG, client_state: other })).sessionId,
    ).toBe(SESSION);
  });

  it("calls a webhook with no way to find its session invalid", () => {
    const body = webhook("call.answered", {
      call_control_id: CALLER_LEG,
      call_session_id: null,
      client_state: "garbage",
    });
    expect(mapTelnyxWebhook(body)).toMatchObject({ kind: "invalid" });
  });

  it("ignores event types the flows do not use", () => {
    const body = webhook("call.speak.started", { call_control_id: CALLER_LEG });
    expect(mapTelnyxWebhook(body)).toEqual({
      kind: "ignored",
      eventType: "call.speak.started",
      reason: "event type not used",
    });
  });

  it("reports malformed envelopes with the failing paths", () => {
    expect(mapTelnyxWebhook(null)).toMatchObject({ kind: "invalid" });
    const noId = webhook("call.answered", { call_control_id: CALLER_LEG }) as {
      data: Record<string, unknown>;
    };
    delete noId.data.id;
    const result = mapTelnyxWebhook(noId);
    expect(result.kind).toBe("invalid");
    expect(result.kind === "invalid" && result.issues.some((i) => i.startsWith("data.id"))).toBe(true);
    const badDate = webhook("call.answered", { call_control_id: CALLER_LEG });
    badDate.data.occurred_at = "yesterday";
    expect(mapTelnyxWebhook(badDate)).toMatchObject({ kind: "invalid" });
  });

  it("reports a leg event without call_control_id, and an inbound call without numbers, as invalid", () => {
    expect(mapTelnyxWebhook(webhook("call.answered", { client_state: CALLER_STATE }))).toMatchObject({
      kind: "invalid",
    });
    const noFrom = webhook("call.initiated", {
      call_control_id: CALLER_LEG,
      direction: "incoming",
      to: "+46101234567",
    });
    expect(mapTelnyxWebhook(noFrom)).toMatchObject({ kind: "invalid" });
  });
});
