// The softphone's scripted mode against the real stand-in, with a tiny scripted IVR on the webhook
// side (answer → menu → PIN → thanks → hang up): key groups wait for prompts, the IVR gets the
// digits, and the script's result says whether every group was sent before the call ended.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClient } from "../../tools/phone/sim-client";
import { describeHeard, dial, parseKeyScript, runKeyScript } from "../../tools/phone/softphone";
import { type StandIn, startTelnyxStandin } from "../../tools/telnyx-standin/server";
import {
  type RecordedWebhook,
  type WebhookRecorder,
  startWebhookRecorder,
} from "../../tools/telnyx-standin/webhook-recorder";

let standin: StandIn;
let hooks: WebhookRecorder;
const pins: string[] = [];
/** Commands the IVR sent that the stand-in refused (should stay empty). */
const refused: string[] = [];

async function command(id: string, action: string, body: object = {}): Promise<void> {
  const res = await fetch(`${standin.url}/v2/calls/${encodeURIComponent(id)}/actions/${action}`, {
    method: "POST",
    headers: { authorization: "Bearer KEY_test", "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (res.status !== 200) refused.push(`${action}: ${res.status} ${await res.text()}`);
}

/** The IVR: reacts once per event id, after acknowledging the webhook. */
function ivr(e: RecordedWebhook): void {
  const id = String(e.payload.call_control_id);
  const say = { voice: "female", maximum_tries: 1, timeout_millis: 10_000 };
  const next = (): Promise<void> | undefined => {
    switch (e.eventType) {
      case "call.initiated":
        return command(id, "answer");
      case "call.answered":
        return command(id, "gather_using_speak", {
          ...say,
          payload: "Press 1 for billing",
          maximum_digits: 1,
        });
      case "call.gather.ended":
        if (e.payload.status !== "valid") return undefined;
        if (e.payload.digits === "1") {
          return command(id, "gather_using_speak", { ...say, payload: "Enter your PIN then hash" });
        }
        if (e.payload.digits === "2") {
          const card = { minimum_digits: 13, maximum_digits: 19, terminating_digit: "#" };
          return command(id, "gather_using_speak", { ...say, ...card, payload: "Enter your card number" });
        }
        pins.push(String(e.payload.digits));
        return command(id, "speak", { voice: "female", payload: "Thank you, goodbye" });
      case "call.speak.ended":
        return e.payload.status === "completed" ? command(id, "hangup") : undefined;
      default:
        return undefined;
    }
  };
  if (e.attempt === 1) setTimeout(() => void next()?.catch((err: unknown) => refused.push(String(err))), 0);
}

beforeAll(async () => {
  hooks = await startWebhookRecorder((e) => {
    ivr(e);
    return 200;
  });
  standin = await startTelnyxStandin({ webhookUrl: hooks.url, timeScale: 0.02 });
  await hooks.setPublicKey(standin.publicKeyBase64);
});

afterAll(async () => {
  expect(refused).toEqual([]);
  await standin.close();
  await hooks.close();
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

  it("sends each group at the next prompt and succeeds when the IVR hangs up afterwards", async () => {
    const lines: string[] = [];
    const call = await dial(createSimClient(standin.url), {
      from: "+4670000009",
      to: "+4630000009",
      onHeard: (item) => lines.push(describeHeard(item)),
    });
    const result = await runKeyScript(call, parseKeyScript("1,w0.05,4242#"));
    expect(result).toEqual({ ok: true, cause: "normal_clearing", sent: ["1", "4242#"] });
    expect(pins).toContain("4242");
    expect(lines).toEqual([
      "🔊 Press 1 for billing",
      "🔊 Enter your PIN then hash",
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
