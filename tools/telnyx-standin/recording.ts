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
  const urls = {
    mp3: `${engine.baseUrl()}/recordings/${rec.id}.mp3`,
    wav: `${engine.baseUrl()}/recordings/${rec.id}.wav`,
  };
  engine.later(SAVE_LAG_MS, () =>
    engine.emit(leg, "call.recording.saved", {
      recording_id: rec.id,
      channels: rec.channels,
      recording_started_at: rec.startedAt,
      recording_ended_at: endedAt,
      recording_urls: urls,
      public_recording_urls: urls,
    }),
  );
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
