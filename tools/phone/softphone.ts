/**
 * The terminal softphone's logic, importable by tests and the bench: dial through the stand-in,
 * follow what the caller hears, and run a key script ("1,w2,4242#") where each digit group waits
 * for the next gather prompt so scripts never race the IVR. Terminal I/O lives in cli.ts.
 */
import type { HeardItem } from "../telnyx-standin/types";
import { createKeySender } from "./key-sender";
import type { SimClient } from "./sim-client";

export type KeyStep =
  | { kind: "wait"; seconds: number }
  | { kind: "keys"; digits: string }
  /** An answer spoken to a voice question ("say:Anna Lind"). */
  | { kind: "say"; text: string };

/** "1,w2,say:Anna,4242#" → keys 1, wait 2 s, say "Anna", keys 4242#. Throws on a group that is none. */
export function parseKeyScript(script: string): KeyStep[] {
  return script
    .split(",")
    .map((g) => g.trim())
    .filter(Boolean)
    .map((group): KeyStep => {
      const wait = /^w(\d+(?:\.\d+)?)$/i.exec(group);
      if (wait) return { kind: "wait", seconds: Number(wait[1]) };
      const say = /^say:(.+)$/is.exec(group);
      if (say) return { kind: "say", text: say[1]!.trim() };
      if (/^[0-9*#A-D]+$/.test(group)) return { kind: "keys", digits: group };
      throw new Error(
        `bad key group "${group}": use digits, * and #, wN to wait N seconds, or say:<words> to answer a voice question`,
      );
    });
}

const isPrompt = (item: HeardItem): boolean =>
  (item.kind === "speak" && item.gather) || item.kind === "gather" || item.kind === "ask";

export type PhoneCall = {
  callControlId: string;
  callSessionId: string;
  heard: HeardItem[];
  ended: Promise<{ cause: string }>;
  isEnded(): boolean;
  /** Queues keys; they reach the call in the order pressed, however fast (see key-sender.ts). */
  press(digits: string): Promise<void>;
  /** Answers the open voice question with these words (the stand-in hears them as speech). */
  say(text: string): Promise<void>;
  hangup(): Promise<void>;
  /** Resolves true at the first gather prompt heard since the last call; false if the call ends first. */
  nextPrompt(): Promise<boolean>;
  /** Resolves true once the call has connected the caller to someone (now or earlier); false if it ends first. */
  connected(): Promise<boolean>;
};

export async function dial(
  client: SimClient,
  opts: {
    from: string;
    to: string;
    onHeard?: (item: HeardItem) => void;
    /** Each digit string as its request leaves for the stand-in, in order. */
    onKeysSent?: (digits: string) => void;
  },
): Promise<PhoneCall> {
  const { callControlId, callSessionId } = await client.placeCall(opts.from, opts.to);
  const keys = createKeySender((digits) => client.sendDigits(callControlId, digits), opts.onKeysSent);
  const heard: HeardItem[] = [];
  let unusedPrompt = false;
  let wake: (() => void) | undefined;
  let over = false;
  const ended = client
    .follow(callControlId, (item) => {
      heard.push(item);
      if (isPrompt(item)) unusedPrompt = true;
      opts.onHeard?.(item);
      wake?.();
    })
    .finally(() => {
      over = true;
      wake?.();
    });
  // A script may stop listening before the end (e.g. no prompt came); its failure is then no crash.
  ended.catch(() => undefined);
  return {
    callControlId,
    callSessionId,
    heard,
    ended,
    isEnded: () => over,
    press: (digits) => keys.send(digits),
    say: (text) => client.say(callControlId, text),
    hangup: () => client.hangup(callControlId),
    async nextPrompt() {
      while (!unusedPrompt && !over) await new Promise<void>((r) => (wake = r));
      const got = unusedPrompt;
      unusedPrompt = false;
      return got;
    },
    async connected() {
      const isConnected = () => heard.some((item) => item.kind === "bridged");
      while (!isConnected() && !over) await new Promise<void>((r) => (wake = r));
      return isConnected();
    },
  };
}

const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

export type ScriptResult = { ok: boolean; cause: string; sent: string[] };

/**
 * Plays the steps; ok when every key group was sent and the call then ended. After the last group,
 * `hangupAfterSec` hangs up that many seconds later; `talkSec` first waits until the caller is
 * connected to someone (however long card checks and ringing take), then talks that long.
 */
export async function runKeyScript(
  call: PhoneCall,
  steps: KeyStep[],
  opts: { hangupAfterSec?: number; talkSec?: number } = {},
): Promise<ScriptResult> {
  const sent: string[] = [];
  const untilEnd = call.ended.then(
    () => undefined,
    () => undefined,
  );
  for (const step of steps) {
    if (call.isEnded()) break;
    if (step.kind === "wait") {
      await Promise.race([sleep(step.seconds), untilEnd]);
      continue;
    }
    if (!(await call.nextPrompt())) break;
    if (step.kind === "say") {
      await call.say(step.text);
      sent.push(`say:${step.text}`);
      continue;
    }
    await call.press(step.digits);
    sent.push(step.digits);
  }
  const allSent = sent.length === steps.filter((s) => s.kind !== "wait").length;
  if (allSent && opts.talkSec !== undefined && (await call.connected())) {
    await Promise.race([sleep(opts.talkSec), untilEnd]);
    if (!call.isEnded()) await call.hangup();
  }
  if (allSent && opts.hangupAfterSec !== undefined && !call.isEnded()) {
    await Promise.race([sleep(opts.hangupAfterSec), untilEnd]);
    if (!call.isEnded()) await call.hangup();
  }
  const { cause } = await call.ended;
  return { ok: allSent, cause, sent };
}
