/**
 * A leg's audio queue: speak, playback and gather prompts play one after another, as Telnyx queues
 * audio on a leg. Emits call.speak.started/ended and call.playback.started/ended with their
 * statuses (completed, cancelled, call_hangup). Gather logic itself lives in gather.ts.
 */
import { startGather } from "./gather";
import { type Engine, type Leg, type MediaItem, speechMs } from "./leg";

/** Length of one loop of a played file: the stand-in has no real audio, so pick a few seconds. */
const PLAYBACK_LOOP_MS = 3000;

export function enqueueMedia(engine: Engine, leg: Leg, item: MediaItem): void {
  leg.media.queue.push(item);
  if (!leg.media.current) playNext(engine, leg);
}

function playNext(engine: Engine, leg: Leg): void {
  const item = leg.media.queue.shift();
  leg.media.current = item ? { item } : undefined;
  if (!item) return;
  switch (item.kind) {
    case "speak": {
      engine.emit(leg, "call.speak.started");
      for (const target of item.targets)
        engine.hear(target, { kind: "speak", text: item.text, gather: false });
      leg.media.current = {
        item,
        timer: engine.after(leg, speechMs(item.text), () => finishMedia(engine, leg)),
      };
      return;
    }
    case "playback": {
      engine.emit(leg, "call.playback.started", playbackFields(item));
      engine.hear(leg, { kind: "playback", url: item.url });
      if (Number.isFinite(item.loops)) {
        const ms = PLAYBACK_LOOP_MS * Math.max(1, item.loops);
        leg.media.current = { item, timer: engine.after(leg, ms, () => finishMedia(engine, leg)) };
      }
      return;
    }
    case "prompt":
      if (leg.gather) startGather(engine, leg, leg.gather);
      else playNext(engine, leg);
      return;
  }
}

function playbackFields(item: Extract<MediaItem, { kind: "playback" }>): Record<string, unknown> {
  return { ...(item.mediaName ? { media_name: item.mediaName } : { media_url: item.url }), overlay: false };
}

/** Ends the current item (reporting status) and starts the next one. */
export function finishMedia(engine: Engine, leg: Leg, status = "completed"): void {
  const current = leg.media.current;
  if (!current) return;
  engine.cancel(leg, current.timer);
  leg.media.current = undefined;
  if (current.item.kind === "speak") engine.emit(leg, "call.speak.ended", { status });
  if (current.item.kind === "playback") {
    engine.emit(leg, "call.playback.ended", { ...playbackFields(current.item), status });
  }
  if (leg.state !== "ended") playNext(engine, leg);
}

/** playback_stop: drops queued files and stops the one playing. */
export function stopPlayback(engine: Engine, leg: Leg): void {
  leg.media.queue = leg.media.queue.filter((i) => i.kind !== "playback");
  if (leg.media.current?.item.kind === "playback") finishMedia(engine, leg, "cancelled");
}

/** At hang-up: the item playing ends with call_hangup; queued items never started, so say nothing. */
export function abortMedia(engine: Engine, leg: Leg): void {
  leg.media.queue = [];
  finishMedia(engine, leg, "call_hangup");
}
