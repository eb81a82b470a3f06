/**
 * A tiny scripted IVR behind a real Telnyx stand-in, for softphone tests: answer → "Press 1 for
 * billing" (1 digit) → 1: PIN (Telnyx's default gather), 2: card number (13–19 digits, # ends) →
 * "Thank you, goodbye" → hang up. Reacts once per event, after acknowledging the webhook.
 */
import { type StandIn, startTelnyxStandin } from "../../../tools/telnyx-standin/server";
import {
  type RecordedWebhook,
  type WebhookRecorder,
  startWebhookRecorder,
} from "../../../tools/telnyx-standin/webhook-recorder";

export type ScriptedIvr = {
  standin: StandIn;
  hooks: WebhookRecorder;
  /** Digits of each valid entry after the menu (PIN or card), in order. */
  entries: string[];
  /** Commands the stand-in refused, other than for a call already ended (should stay empty). */
  refused: string[];
  close(): Promise<void>;
};

export async function startScriptedIvr(): Promise<ScriptedIvr> {
  const entries: string[] = [];
  const refused: string[] = [];
  let standinUrl = "";

  async function command(id: string, action: string, body: object = {}): Promise<void> {
    const res = await fetch(`${standinUrl}/v2/calls/${encodeURIComponent(id)}/actions/${action}`, {
      method: "POST",
      headers: { authorization: "Bearer KEY_test", "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    if (res.status === 200) return;
    const text = await res.text();
    // 90018: the caller hung up first; a real IVR meets that too, and it is no fault of the IVR.
    if (res.status === 422 && text.includes('"90018"')) return;
    refused.push(`${action}: ${res.status} ${text}`);
  }

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
          entries.push(String(e.payload.digits));
          return command(id, "speak", { voice: "female", payload: "Thank you, goodbye" });
        case "call.speak.ended":
          return e.payload.status === "completed" ? command(id, "hangup") : undefined;
        default:
          return undefined;
      }
    };
    if (e.attempt === 1) setTimeout(() => void next()?.catch((err: unknown) => refused.push(String(err))), 0);
  }

  const hooks = await startWebhookRecorder((e) => {
    ivr(e);
    return 200;
  });
  const standin = await startTelnyxStandin({ webhookUrl: hooks.url, timeScale: 0.02 });
  standinUrl = standin.url;
  await hooks.setPublicKey(standin.publicKeyBase64);
  return {
    standin,
    hooks,
    entries,
    refused,
    async close() {
      await standin.close();
      await hooks.close();
    },
  };
}
