/**
 * Reaching a rep after payment, through the shared connect machine: reserve, dial with a ring
 * timeout, next rep on busy / no answer, hold queue with music up to the line's wait, then
 * voicemail. Connected → metered talk; the caller leaving → settle (the hold is released).
 */
import { abandonReaching, startConnect, stepReaching, type ConnectConfig } from "../../ivr/connect-agent";
import { clearTimers } from "../../ivr/commands";
import type { EngineEvent } from "../../ivr/types";
import type { AdviceEvent } from "./advice-state";
import { settle } from "./advice-settle";
import {
  callerLeg,
  MAX_TALK_SEC,
  talkLimitSec,
  type AdviceCtx,
  type AdviceResult,
  type AdviceState,
} from "./advice-state";
import { startAdviceTalk } from "./advice-talk";
import { texts } from "./advice-texts";
import { startVoicemail } from "./advice-voicemail";

export function connectConfig(ctx: AdviceCtx): ConnectConfig {
  const cfg = ctx.line.config;
  return {
    lineId: ctx.line.id,
    callerId: ctx.line.number,
    ringTimeoutSec: cfg.ringTimeoutSec,
    // Backstop only: our cutoff timer ends the call; Telnyx counts this from the dial.
    dialTimeLimitSec: Math.min(MAX_TALK_SEC, Math.max(30, talkLimitSec(cfg) + cfg.ringTimeoutSec + 60)),
    queue:
      cfg.noRep.mode === "queue"
        ? {
            maxWaitSec: cfg.noRep.maxWaitSec,
            holdMusicUrl: cfg.noRep.holdMusicUrl ?? null,
            holdText: texts.hold,
          }
        : null,
  };
}

export function reserveAgent(state: AdviceState, ctx: AdviceCtx): AdviceResult {
  const connect = startConnect(connectConfig(ctx), callerLeg(state));
  return { state: { ...state, phase: "reserving", connect: connect.state }, commands: connect.commands };
}

/** Everything while reaching a rep: the connect machine's step, and what its result leads to. */
export function connecting(state: AdviceState, e: AdviceEvent, ctx: AdviceCtx): AdviceResult {
  if (!state.connect) return { state, commands: [] };
  // Card events are not the connect machine's: it ignores every type it does not know.
  const { next, step } = stepReaching(
    connectConfig(ctx),
    { ...state, connect: state.connect },
    e as EngineEvent,
    ctx.now,
  );
  switch (step.result?.kind) {
    case undefined:
      return { state: next, commands: step.commands };
    case "connected": {
      const talk = startAdviceTalk(
        { ...next, connect: null, agent: step.result.agent },
        ctx,
        step.result.talkStartedAt,
      );
      return {
        state: talk.state,
        commands: [...step.commands, ...clearTimers("pre_talk_limit"), ...talk.commands],
      };
    }
    case "unavailable": {
      const voicemail = startVoicemail({ ...next, connect: null }, ctx);
      return { state: voicemail.state, commands: [...step.commands, ...voicemail.commands] };
    }
    case "caller_left": {
      const outcome = {
        status: "no_agent",
        endedAt: step.result.at,
        cause: step.result.cause,
        by: "caller" as const,
      };
      return settle({ ...next, connect: null }, ctx, outcome, step.commands);
    }
  }
}

/** Stops reaching a rep (the pre-talk limit): nothing may stay ringing, reserved or queued. */
export function abandonConnect(state: AdviceState, ctx: AdviceCtx): AdviceResult {
  if (!state.connect) return { state, commands: [] };
  return { state: { ...state, connect: null }, commands: abandonReaching(connectConfig(ctx), state.connect) };
}
