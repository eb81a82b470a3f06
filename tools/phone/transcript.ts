/**
 * What the softphone prints: one line per thing the caller hears, a line saying when the call
 * listens for keys (and for how many), and an echo of the keys as they are sent. Text only; the
 * terminal (or a test) supplies `write`. Keys echo on one line that grows as they are sent, closed
 * by the next thing heard, so typed digits read as one entry and never split a prompt's line.
 */
import type { HeardItem, ListeningFor } from "../telnyx-standin/types";

/** "listening for 13–19 digits, # to finish"; a one-key menu needs no terminator. */
export function describeListening(l: ListeningFor | undefined): string {
  if (!l) return "⌨ listening for keys";
  const plural = (n: number) => (n === 1 ? "digit" : "digits");
  const count =
    l.minDigits === l.maxDigits
      ? `${l.maxDigits} ${plural(l.maxDigits)}`
      : `${l.minDigits}–${l.maxDigits} ${plural(l.maxDigits)}`;
  const finish = l.terminatingDigit && l.maxDigits > 1 ? `, ${l.terminatingDigit} to finish` : "";
  return `⌨ listening for ${count}${finish}`;
}

/** The lines one heard item prints. */
export function describeHeard(item: HeardItem): string[] {
  switch (item.kind) {
    case "speak":
      return item.listening ? [`🔊 ${item.text}`, describeListening(item.listening)] : [`🔊 ${item.text}`];
    case "gather":
      return [describeListening(item.listening)];
    case "ask":
      return [`🔊 ${item.text}`, "🎤 answer by voice: type your answer and press Enter"];
    case "playback":
      return [`♪ ${item.url}`];
    case "ringing":
      return [`… ringing ${item.to}`];
    case "bridged":
      return [`☎ connected to ${item.to}`];
    case "hold_music":
      return [`♪ hold music (${item.queue})`];
    case "recording_started":
      return ["⏺ this call is being recorded"];
    case "hung_up":
      return [`✖ hung up (${item.cause})`];
    case "tone":
      return [`♫ tone ${item.digit}`];
  }
}

export const KEY_ECHO_PREFIX = "  › pressed ";

export type Transcript = {
  /** A whole line (closes an open key echo first). */
  line(text: string): void;
  /** Keys as they are sent, appended to the current echo line. */
  keys(digits: string): void;
  /** Ends an open key echo line. */
  close(): void;
};

export function createTranscript(write: (text: string) => void): Transcript {
  let echoOpen = false;
  const close = () => {
    if (echoOpen) write("\n");
    echoOpen = false;
  };
  return {
    line(text) {
      close();
      write(`${text}\n`);
    },
    keys(digits) {
      if (!echoOpen) write(KEY_ECHO_PREFIX);
      echoOpen = true;
      write(digits);
    },
    close,
  };
}
