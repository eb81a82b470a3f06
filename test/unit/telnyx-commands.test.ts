import { describe, expect, it } from "vitest";
import { legId } from "../../src/ivr/types";
import type { EngineCommand as Command } from "../../src/ivr/types";
import {
  isTelnyxCommand,
  pathOf,
  toTelnyxRequest,
  wireBody,
  type TelnyxCommand,
  type TelnyxRequestOptions,
} from "../../src/telnyx/commands";

/** The request as Telnyx receives it: the URL path and the JSON body the SDK sends. */
function request(cmd: Command, opts: TelnyxRequestOptions) {
  const req = toTelnyxRequest(cmd as TelnyxCommand, opts);
  return { path: pathOf(req), body: wireBody(req) };
}

const CALLER = legId("v3:caller/leg");
const AGENT = legId("v3:agent-leg");
const OPTS = {
  commandId: "sess:3:0",
  clientState: "c3RhdGU=",
  voice: "Telnyx.KokoroTTS.af",
  connectionId: "conn-1",
};
const ACTION = "/v2/calls/v3%3Acaller%2Fleg/actions";

describe("toTelnyxRequest", () => {
  it("speaks the text with the line's voice, to the legs asked for", () => {
    const req = request({ type: "speak", leg: CALLER, text: "Welcome", targetLegs: "both" }, OPTS);
    expect(req).toEqual({
      path: `${ACTION}/speak`,
      body: {
        command_id: "sess:3:0",
        client_state: "c3RhdGU=",
        payload: "Welcome",
        payload_type: "text",
        voice: "Telnyx.KokoroTTS.af",
        target_legs: "both",
      },
    });
    expect(request({ type: "speak", leg: CALLER, text: "Hi" }, OPTS).body).not.toHaveProperty("target_legs");
  });

  it("asks for the basic service level when the voice is a bare gender", () => {
    const req = request({ type: "speak", leg: CALLER, text: "Hej" }, { ...OPTS, voice: "female" });
    expect(req.body).toMatchObject({ voice: "female", service_level: "basic" });
    expect(request({ type: "speak", leg: CALLER, text: "Hej" }, OPTS).body).not.toHaveProperty(
      "service_level",
    );
  });

  it("gathers with a spoken prompt, one try only (our machine re-prompts)", () => {
    const cmd: Command = {
      type: "gather",
      leg: CALLER,
      prompt: "Enter your PIN",
      minDigits: 4,
      maxDigits: 6,
      terminator: "#",
      validDigits: "0123456789#",
      timeoutMs: 10_000,
      interDigitTimeoutMs: 3_000,
    };
    expect(request(cmd, OPTS)).toEqual({
      path: `${ACTION}/gather_using_speak`,
      body: {
        command_id: "sess:3:0",
        client_state: "c3RhdGU=",
        payload: "Enter your PIN",
        payload_type: "text",
        voice: "Telnyx.KokoroTTS.af",
        minimum_digits: 4,
        maximum_digits: 6,
        terminating_digit: "#",
        valid_digits: "0123456789#",
        timeout_millis: 10_000,
        inter_digit_timeout_millis: 3_000,
        maximum_tries: 1,
      },
    });
  });

  it("plays audio once or forever", () => {
    const once = request(
      { type: "play", leg: CALLER, audioUrl: "https://a.test/hold.mp3", loop: false },
      OPTS,
    );
    expect(once.path).toBe(`${ACTION}/playback_start`);
    expect(once.body).toMatchObject({ audio_url: "https://a.test/hold.mp3", loop: 1 });
    const forever = request(
      { type: "play", leg: CALLER, audioUrl: "https://a.test/hold.mp3", loop: true },
      OPTS,
    );
    expect(forever.body).toMatchObject({ loop: "infinity" });
  });

  it("dials a linked leg on the line's connection, tagged with the new leg's client_state", () => {
    const cmd: Command = {
      type: "dial",
      role: "agent:ag_1",
      to: "+46700000001",
      from: "+46101234567",
      linkTo: CALLER,
      timeoutSecs: 25,
      timeLimitSecs: 1800,
    };
    expect(request(cmd, OPTS)).toEqual({
      path: "/v2/calls",
      body: {
        command_id: "sess:3:0",
        client_state: "c3RhdGU=",
        connection_id: "conn-1",
        to: "+46700000001",
        from: "+46101234567",
        link_to: CALLER,
        timeout_secs: 25,
        time_limit_secs: 1800,
      },
    });
  });

  it("clamps the dial time limit into Telnyx's 30–14400 s range", () => {
    const dial = (timeLimitSecs: number) =>
      request(
        {
          type: "dial",
          role: "agent:a",
          to: "+1",
          from: "+2",
          linkTo: CALLER,
          timeoutSecs: 30,
          timeLimitSecs,
        },
        OPTS,
      ).body.time_limit_secs;
    expect(dial(12)).toBe(30);
    expect(dial(90.2)).toBe(91);
    expect(dial(20_000)).toBe(14_400);
  });

  it("refuses to dial without a connection id", () => {
    const cmd: Command = {
      type: "dial",
      role: "agent:a",
      to: "+1",
      from: "+2",
      linkTo: CALLER,
      timeoutSecs: 30,
    };
    expect(() => request(cmd, { ...OPTS, connectionId: undefined })).toThrow(/connectionId/);
  });

  it("bridges to the other leg, parking this one afterwards and keeping tones from the other when asked", () => {
    const req = request(
      { type: "bridge", leg: CALLER, other: AGENT, parkAfterUnbridge: "self", muteDtmf: "opposite" },
      OPTS,
    );
    expect(req.path).toBe(`${ACTION}/bridge`);
    expect(req.body).toMatchObject({
      call_control_id: AGENT,
      park_after_unbridge: "self",
      mute_dtmf: "opposite",
    });
    expect(req.body).not.toHaveProperty("call_control_id_to_bridge_with");
  });

  it("puts a leg in a named queue (with a wait limit) and takes it out", () => {
    expect(request({ type: "enqueue", leg: AGENT, queue: "pay-sess-1", maxWaitSecs: 600 }, OPTS)).toEqual({
      path: "/v2/calls/v3%3Aagent-leg/actions/enqueue",
      body: {
        command_id: "sess:3:0",
        client_state: "c3RhdGU=",
        queue_name: "pay-sess-1",
        max_wait_time_secs: 600,
      },
    });
    expect(request({ type: "leave_queue", leg: AGENT }, OPTS).path).toBe(
      "/v2/calls/v3%3Aagent-leg/actions/leave_queue",
    );
  });

  it("dials any role, and asks Telnyx to bridge on answer when the flow wants that", () => {
    const req = request(
      {
        type: "dial",
        role: "dest:1",
        to: "+4681234567",
        from: "+46101234567",
        linkTo: CALLER,
        timeoutSecs: 30,
        bridgeOnAnswer: true,
      },
      OPTS,
    );
    expect(req.body).toMatchObject({ link_to: CALLER, bridge_on_answer: true });
  });

  it("transfers with the new leg's client_state when given", () => {
    const cmd: Command = {
      type: "transfer",
      leg: CALLER,
      to: "+46700000002",
      from: "+46101234567",
      timeoutSecs: 20,
    };
    const req = request(cmd, { ...OPTS, targetClientState: "dGFyZ2V0" });
    expect(req.body).toMatchObject({
      to: "+46700000002",
      from: "+46101234567",
      timeout_secs: 20,
      target_leg_client_state: "dGFyZ2V0",
    });
  });

  it("records single-channel mp3 with the asked length and beep", () => {
    const req = request({ type: "record_start", leg: CALLER, maxLengthSecs: 120, playBeep: true }, OPTS);
    expect(req.body).toMatchObject({ format: "mp3", channels: "single", max_length: 120, play_beep: true });
  });

  it("sends id-only bodies for the simple actions", () => {
    const simple = [
      "answer",
      "stop_playback",
      "record_stop",
      "record_pause",
      "record_resume",
      "hangup",
    ] as const;
    const actions = ["answer", "playback_stop", "record_stop", "record_pause", "record_resume", "hangup"];
    simple.forEach((type, i) => {
      expect(request({ type, leg: CALLER }, OPTS)).toEqual({
        path: `${ACTION}/${actions[i]}`,
        body: { command_id: "sess:3:0", client_state: "c3RhdGU=" },
      });
    });
  });

  it("tells Telnyx commands from the shell's own", () => {
    const of = (cmd: Command) => isTelnyxCommand(cmd);
    expect(of({ type: "hangup", leg: CALLER })).toBe(true);
    expect(of({ type: "set_timer", name: "t", at: 1 })).toBe(false);
    expect(of({ type: "reserve_agent", lineId: "l", exclude: [] })).toBe(false);
  });
});
