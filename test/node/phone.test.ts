// The softphone's scripted mode against the real stand-in, with a tiny scripted IVR on the webhook
// side (support/scripted-ivr.ts): key groups wait for prompts, the IVR gets the digits, and the
// script's result says whether every group was sent before the call ended.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClient } from "../../tools/phone/sim-client";
import { dial, parseKeyScript, runKeyScript } from "../../tools/phone/softphone";
import { describeHeard } from "../../tools/phone/transcript";
import type { StandIn } from "../../tools/telnyx-standin/server";
import type { WebhookRecorder } from "../../tools/telnyx-standin/webhook-recorder";
import { type ScriptedIvr, startScriptedIvr } from "./support/scripted-ivr";

let ivr: ScriptedIvr;
let standin: StandIn;
let hooks: WebhookRecorder;

beforeAll(async () => {
  ivr = await startScriptedIvr();
  ({ standin, hooks } = ivr);
});

afterAll(async () => {
  expect(ivr.refused).toEqual([]);
  await ivr.close();
});

describe("softphone key scripts", () => {
  it("parses digit groups and waits, and rejects anything else", () => {
    expect(parseKeyScript("1, w2 ,4242#,w0.5")).toEqual([
      { kind: "keys", digits: "1" },
      { kind: "wait", seconds: 2 },
      { kind: "keys", digits: "4242#" },
      { kind: "wait", seconds: 0.5 },
    ]);
    expect(() => parseKeyScript("1,x9")).toThrow(/bad key group "x9"/);
  });

  it("parses a spoken answer to a voice question", () => {
    expect(parseKeyScript("say: Anna Lind ,1")).toEqual([
      { kind: "say", text: "Anna Lind" },
      { kind: "keys", digits: "1" },
    ]);
  });

  it("sends each group at the next prompt and succeeds when the IVR hangs up afterwards", async () => {
    const lines: string[] = [];
    const call = await dial(createSimClient(standin.url), {
      from: "+4670000009",
      to: "+4630000009",
      onHeard: (item) => lines.push(...describeHeard(item)),
    });
    const result = await runKeyScript(call, parseKeyScript("1,w0.05,4242#"));
    expect(result).toEqual({ ok: true, cause: "normal_clearing", sent: ["1", "4242#"] });
    expect(ivr.entries).toContain("4242");
    expect(lines).toEqual([
      "🔊 Press 1 for billing",
      "⌨ listening for 1 digit",
      "🔊 Enter your PIN then hash",
      // Telnyx's defaults: 1 to 128 digits, ended by #.
      "⌨ listening for 1–128 digits, # to finish",
      "🔊 Thank you, goodbye",
      "✖ hung up (normal_clearing)",
    ]);
  });

  it("fails when the call ends before every key group was sent", async () => {
    const call = await dial(createSimClient(standin.url), { from: "+4670000010", to: "+4630000009" });
    const result = await runKeyScript(call, parseKeyScript("1,4242#,9"));
    expect(result.ok).toBe(false);
    expect(result.sent).toEqual(["1", "4242#"]);
  });

  it("hangs up itself --hangup-after seconds after the last key", async () => {
    const call = await dial(createSimClient(standin.url), { from: "+4670000011", to: "+4630000009" });
    const result = await runKeyScript(call, parseKeyScript("1"), { hangupAfterSec: 0.01 });
    expect(result).toMatchObject({ ok: true, cause: "normal_clearing" });
    const hangup = await hooks.waitFor(
      (e) => e.eventType === "call.hangup" && e.payload.call_control_id === call.callControlId,
    );
    expect(hangup.payload.hangup_source).toBe("caller");
  });
});

describe("softphone keys", () => {
  it("keys pressed faster than the stand-in answers (a paste) arrive in the order typed", async () => {
    const card = "4000000000000002";
    // Through the real stand-in over HTTP. On an idle machine racing requests happen to arrive in
    // order, so the deterministic race (requests finishing in reverse) is in phone-keys.test.ts.
    for (let i = 0; i < 3; i++) {
      const call = await dial(createSimClient(standin.url), { from: `+467000002${i}`, to: "+4630000020" });
      expect(await call.nextPrompt()).toBe(true);
      await call.press("2");
      expect(await call.nextPrompt()).toBe(true);
      // The prompt came over the event stream with what the gather accepts.
      expect(call.heard.at(-1)).toMatchObject({
        kind: "speak",
        text: "Enter your card number",
        gather: true,
        listening: { minDigits: 13, maxDigits: 19, terminatingDigit: "#" },
      });
      // What a raw-mode terminal does with a paste: one press per character, none awaited.
      await Promise.all([...`${card}#`].map((key) => call.press(key)));
      const ended = await hooks.waitFor(
        (e) =>
          e.eventType === "call.gather.ended" &&
          e.payload.call_control_id === call.callControlId &&
          e.payload.digits !== "2",
      );
      expect(ended.payload).toMatchObject({ status: "valid", digits: card });
      // The IVR thanks the caller and hangs up.
      expect(await call.ended).toEqual({ cause: "normal_clearing" });
    }
  });
});

describe("softphone CLI", () => {
  it("hangs the call up in the stand-in when killed mid-script, then exits 143", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const [from, to] = ["+4670000012", "+4630000012"];
    // A long wait keeps the scripted call live until the signal arrives.
    const args = ["tools/phone/cli.ts", to, "--from", from, "--keys", "w600", "--standin", standin.url];
    const child = spawn(join(root, "node_modules/.bin/tsx"), args, {
      cwd: root,
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const lines = createInterface({ input: child.stdout });
      const answered = new Promise<void>((resolve) =>
        lines.on("line", (line) => {
          if (line.includes("Press 1 for billing")) resolve();
        }),
      );
      await answered;
      const exited = once(child, "exit");
      child.kill("SIGTERM");
      expect(await exited).toEqual([143, null]);
      const hangup = await hooks.waitFor(
        (e) => e.eventType === "call.hangup" && e.payload.from === from && e.payload.to === to,
      );
      expect(hangup.payload.hangup_source).toBe("caller");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
    }
  });
});
