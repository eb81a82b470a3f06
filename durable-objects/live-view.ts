/**
 * What a live call shows outside: the flow's public view, framed with the call, its line, the
 * caller masked to the last 4, the talk clock and whether it ended. Pushed over hibernatable
 * WebSockets to whoever the API let watch; a subscriber that connects late gets the current frame
 * first. Never digits: flows' views carry none, and numbers are masked here.
 */
import type { AnyFlow } from "../src/engine/product";
import type { CallView } from "../src/ivr/types";
import { maskNumber } from "../src/log/call-log";
import type { SessionMeta } from "./call-store";
import { describeState } from "./session-step";

export interface LiveFrame {
  call: string;
  line: { id: string; name: string; product: string };
  caller: string;
  version: number;
  phase: string;
  step: string | null;
  agentId: string | null;
  talk: { startedAt: string; limitAt: string | null; paused: boolean; seconds: number } | null;
  detail: NonNullable<CallView["detail"]> | null;
  ended: boolean;
  at: string;
}

function callerOf(meta: SessionMeta): string {
  const state = meta.state as { caller?: { from?: unknown } } | null;
  return typeof state?.caller?.from === "string" ? maskNumber(state.caller.from) : "***";
}

export function liveFrame(meta: SessionMeta, flow: AnyFlow, now: number): LiveFrame {
  const view: CallView = flow.view?.(meta.state, meta.line) ?? { phase: describeState(meta.state) };
  const talk = view.talk ?? null;
  const until = talk?.pausedSince ?? now;
  return {
    call: meta.sessionId,
    line: { id: meta.line.id, name: meta.line.name, product: meta.line.product },
    caller: callerOf(meta),
    version: meta.version,
    phase: view.phase,
    step: view.step ?? null,
    agentId: view.agentId ?? null,
    talk: talk
      ? {
          startedAt: new Date(talk.startedAt).toISOString(),
          limitAt: talk.limitAt === null ? null : new Date(talk.limitAt).toISOString(),
          paused: talk.pausedSince !== null,
          seconds: Math.max(0, Math.floor((until - talk.startedAt) / 1000)),
        }
      : null,
    detail: view.detail ?? null,
    ended: meta.doneAt !== null,
    at: new Date(now).toISOString(),
  };
}

/** The parts of a frame that change with the call (not its clock), to skip pushes that say nothing new. */
export const frameKey = (f: LiveFrame): string =>
  JSON.stringify([f.version, f.phase, f.step, f.agentId, f.talk?.limitAt, f.talk?.paused, f.detail, f.ended]);
