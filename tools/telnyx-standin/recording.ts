/**
 * record_start / pause / resume / stop on a leg, ending in call.recording.saved (after record_stop
 * or the leg's hang-up) with recording_urls pointing back at the stand-in, which serves a tiny
 * silent file there. No audio is recorded; only the timing and the event shape are real.
 */
import { randomUUID } from "node:crypto";
import type { Engine, Leg } from "./leg";

/** Telnyx saves a recording a moment after it stops; mimic that lag. */
const SAVE_LAG_MS = 300;

export function startRecording(engine: Engine, leg: Leg, body: Record<string, unknown>): void {
  if (leg.recording) return;
  leg.recording = {
    id: randomUUID(),
    format: typeof body.format === "string" ? body.format : "mp3",
    channels: typeof body.channels === "string" ? body.channels : "single",
    startedAt: new Date().toISOString(),
    paused: false,
  };
  engine.hear(leg, { kind: "recording_started" });
}

export function pauseRecording(leg: Leg, paused: boolean): void {
  if (leg.recording) leg.recording.paused = paused;
}

export function stopRecording(engine: Engine, leg: Leg): void {
  const rec = leg.recording;
  if (!rec) return;
  leg.recording = undefined;
  const endedAt = new Date().toISOString();
  const saved: SavedRecording = {
    id: rec.id,
    callSessionId: leg.sessionId,
    callLegId: leg.legId,
    callControlId: leg.id,
    channels: rec.channels,
    startedAt: rec.startedAt,
    endedAt,
  };
  const lifetimeMs = engine.scaledMs(URL_LIFETIME_MS);
  engine.later(SAVE_LAG_MS, () => {
    savedRecordings.set(saved.id, saved);
    // Like Telnyx: recording_urls stop working after 10 minutes (scaled); fetch fresh ones from
    // GET /v2/recordings. public_recording_urls is an opt-in Telnyx feature, not offered here.
    engine.emit(leg, "call.recording.saved", {
      channels: rec.channels,
      recording_started_at: rec.startedAt,
      recording_ended_at: endedAt,
      recording_urls: signedUrls(engine.baseUrl(), saved.id, Date.now() + lifetimeMs),
    });
  });
}

/** Telnyx: "These URLs are valid for 10 minutes." */
export const URL_LIFETIME_MS = 10 * 60_000;

export interface SavedRecording {
  id: string;
  callSessionId: string;
  callLegId: string;
  callControlId: string;
  channels: string;
  startedAt: string;
  endedAt: string;
}

/** Every recording any stand-in in this process saved (ids are UUIDs, so instances cannot clash). */
const savedRecordings = new Map<string, SavedRecording>();

function signedUrls(base: string, id: string, expiresAt: number): { mp3: string; wav: string } {
  return {
    mp3: `${base}/recordings/${id}.mp3?expires=${expiresAt}`,
    wav: `${base}/recordings/${id}.wav?expires=${expiresAt}`,
  };
}

/** GET /v2/recordings, filtered as Telnyx's `filter[call_session_id]` / `filter[call_leg_id]`. */
export function listRecordings(base: string, query: URLSearchParams, lifetimeMs: number): unknown[] {
  const session = query.get("filter[call_session_id]");
  const leg = query.get("filter[call_leg_id]");
  const control = query.get("filter[call_control_id]");
  return [...savedRecordings.values()]
    .filter(
      (r) =>
        (!session || r.callSessionId === session) &&
        (!leg || r.callLegId === leg) &&
        (!control || r.callControlId === control),
    )
    .map((r) => ({
      record_type: "recording",
      id: r.id,
      call_session_id: r.callSessionId,
      call_leg_id: r.callLegId,
      call_control_id: r.callControlId,
      channels: r.channels,
      source: "call",
      status: "completed",
      recording_started_at: r.startedAt,
      recording_ended_at: r.endedAt,
      duration_millis: Date.parse(r.endedAt) - Date.parse(r.startedAt),
      created_at: r.endedAt,
      updated_at: r.endedAt,
      download_urls: signedUrls(base, r.id, Date.now() + lifetimeMs),
    }));
}

/** A recording file URL past its expiry (or of a recording never saved) is refused, as S3 would. */
export function recordingUrlUsable(id: string, expires: string | null): boolean {
  return savedRecordings.has(id) && expires !== null && Number(expires) > Date.now();
}

/** A valid, silent 0.1 s file in the asked format (8 kHz mono 8-bit WAV, or one silent MP3 frame). */
export function recordingFile(ext: string): { type: string; bytes: Buffer } | undefined {
  if (ext === "wav") {
    const samples = 800;
    const b = Buffer.alloc(44 + samples, 0x80);
    b.write("RIFF", 0, "ascii");
    b.writeUInt32LE(36 + samples, 4);
    b.write("WAVEfmt ", 8, "ascii");
    b.writeUInt32LE(16, 16);
    b.writeUInt16LE(1, 20); // PCM
    b.writeUInt16LE(1, 22); // mono
    b.writeUInt32LE(8000, 24);
    b.writeUInt32LE(8000, 28);
    b.writeUInt16LE(1, 32);
    b.writeUInt16LE(8, 34);
    b.write("data", 36, "ascii");
    b.writeUInt32LE(samples, 40);
    return { type: "audio/wav", bytes: b };
  }
  if (ext === "mp3") {
    // MPEG-1 Layer III, 128 kbps, 44.1 kHz: a 417-byte frame of silence.
    const b = Buffer.alloc(417, 0);
    b.set([0xff, 0xfb, 0x90, 0x64], 0);
    return { type: "audio/mpeg", bytes: b };
  }
  return undefined;
}
