import { describe, expect, it } from "vitest";
import { legId } from "../../src/ivr/types";
import type { Command } from "../../src/ivr/types";
import { isTelnyxCommand, toTelnyxRequest } from "../../src/telnyx/commands";

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
    const req = toTelnyxRequest({ type: "speak", leg: CALLER, text: "Welcome", targetLegs: "both" }, OPTS);
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
    expect(toTelnyxRequest({ type: "speak", leg: CALLER, text: "Hi" }, OPTS).body).not.toHaveProperty(
      "target_legs",
    );
  });

  it("asks for the basic service level when the voice is a bare gender", () => {
    const req = toTelnyxRequest({ type: "speak", leg: CALLER, text: "Hej" }, { ...OPTS, voice: "female" });
    expect(req.body).toMatchObject({ voice: "female", service_level: "basic" });
    expect(toTelnyxRequest({ type: "speak", leg: CALLER, text: "Hej" }, OPTS).body).not.toHaveProperty(
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
    expect(toTelnyxRequest(cmd, OPTS)).toEqual({
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
    const once = toTelnyxRequest(
      { type: "play", leg: CALLER, audioUrl: "https://a.test/hold.mp3", loop: false },
      OPTS,
    );
    expect(once.path).toBe(`${ACTION}/playback_start`);
    expect(once.body).toMatchObject({ audio_url: "https://a.test/hold.mp3", loop: 1 });
    const forever = toTelnyxRequest(
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
    expect(toTelnyxRequest(cmd, OPTS)).toEqual({
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
      toTelnyxRequest(
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
    expect(() => toTelnyxRequest(cmd, { ...OPTS, connectionId: undefined })).toThrow(/connectionId/);
  });

  it("bridges to the other leg, parking this one afterwards when asked", () => {
    const req = toTelnyxRequest(
      { type: "bridge", leg: CALLER, other: AGENT, parkAfterUnbridge: "self" },
      OPTS,
    );
    expect(req.path).toBe(`${ACTION}/bridge`);
    expect(req.body).toMatchObject({ call_control_id: AGENT, park_after_unbridge: "self" });
  });

  it("transfers with the new leg's client_state when given", () => {
    const cmd: Command = {
      type: "transfer",
      leg: CALLER,
      to: "+46700000002",
      from: "+46101234567",
      timeoutSecs: 20,
    };
    const req = toTelnyxRequest(cmd, { ...OPTS, targetClientState: "dGFyZ2V0" });
    expect(req.body).toMatchObject({
      to: "+46700000002",
      from: "+46101234567",
      timeout_secs: 20,
      target_leg_client_state: "dGFyZ2V0",
    });
  });

  it("records single-channel mp3 with the asked length and beep", () => {
    const req = toTelnyxRequest(
      { type: "record_start", leg: CALLER, maxLengthSecs: 120, playBeep: true },
      OPTS,
    );
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
      expect(toTelnyxRequest({ type, leg: CALLER }, OPTS)).toEqual({
        path: `${ACTION}/${actions[i]}`,
        body: { command_id: "sess:3:0", client_state: "c3RhdGU=" },
      });
    });
  });

  it("tells Telnyx commands from the shell's own", () => {
    expect(isTelnyxCommand({ type: "hangup", leg: CALLER })).toBe(true);
    expect(isTelnyxCommand({ type: "set_timer", name: "t", at: 1 })).toBe(false);
    expect(isTelnyxCommand({ type: "reserve_agent", lineId: "l", exclude: [] })).toBe(false);
  });
});
