// Recordings at the Telnyx stand-in behave like Telnyx's: the links in call.recording.saved stop
// working after 10 minutes (here scaled to a fraction of a second), and GET /v2/recordings
// filtered by call session hands out fresh ones. The Worker's voicemail links rely on exactly this.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTelnyxStandin, type StandIn } from "../../tools/telnyx-standin/server";
import { startWebhookRecorder, type WebhookRecorder } from "../../tools/telnyx-standin/webhook-recorder";

const SCALE = 0.0005; // 10 minutes → 300 ms
let standin: StandIn;
let hooks: WebhookRecorder;

beforeAll(async () => {
  hooks = await startWebhookRecorder(() => 200);
  standin = await startTelnyxStandin({ webhookUrl: hooks.url, timeScale: SCALE });
  await hooks.setPublicKey(standin.publicKeyBase64);
});
afterAll(async () => {
  await standin.close();
  await hooks.close();
});

const post = (id: string, action: string, body: object = {}) =>
  fetch(`${standin.url}/v2/calls/${encodeURIComponent(id)}/actions/${action}`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: "Bearer KEY_test" },
    body: JSON.stringify(body),
  });

it("a saved recording's link expires like Telnyx's, and the recordings API gives a fresh one", async () => {
  const call = await standin.placeCall("+4670000009", "+4630000009");
  const id = call.callControlId;
  await post(id, "answer");
  await hooks.waitFor((e) => e.payload.call_control_id === id && e.eventType === "call.answered");
  await post(id, "record_start", { format: "mp3", channels: "single" });
  await post(id, "record_stop");
  const saved = await hooks.waitFor(
    (e) => e.payload.call_control_id === id && e.eventType === "call.recording.saved",
  );
  const link = (saved.payload.recording_urls as { mp3: string }).mp3;
  expect((await fetch(link)).status).toBe(200);
  await new Promise((r) => setTimeout(r, 400));
  expect((await fetch(link)).status).toBe(403);

  const unauthorised = await fetch(`${standin.url}/v2/recordings`);
  expect(unauthorised.status).toBe(401);
  const listed = await fetch(
    `${standin.url}/v2/recordings?filter[call_session_id]=${encodeURIComponent(call.callSessionId)}`,
    { headers: { authorization: "Bearer KEY_test" } },
  );
  const body = (await listed.json()) as {
    data: { call_session_id: string; download_urls: { mp3: string } }[];
  };
  expect(body.data).toHaveLength(1);
  expect(body.data[0]!.call_session_id).toBe(call.callSessionId);
  expect((await fetch(body.data[0]!.download_urls.mp3)).status).toBe(200);
});
