/**
 * Reaching an agent through the shared connect machine (priority, ring-through, the line's queue):
 * connected → metered talk funded by the reserved credit; nobody → a message (the credit is
 * released at settlement); the caller leaving → settle.
 */
import { clearTimers } from "../../ivr/commands";
import { abandonReaching, stepReaching, type ConnectConfig } from "../../ivr/connect-agent";
import type { EngineCommand, EngineEvent } from "../../ivr/types";
import { goodbye, settle } from "./agent-line-settle";
import type { AgentLineCtx, AgentLineFlowEvent, AgentLineResult, AgentLineState } from "./agent-line-state";
import { startFundedTalk } from "./agent-line-talk";
import { texts } from "./agent-line-texts";

export function connectConfig(ctx: AgentLineCtx): ConnectConfig {
  const cfg = ctx.line.config;
  return {
    lineId: ctx.line.id,
    callerId: ctx.line.number,
    ringTimeoutSec: cfg.ringTimeoutSec,
    queue: cfg.queue
      ? {
          maxWaitSec: cfg.queue.maxWaitSec,
          holdMusicUrl: cfg.queue.holdMusicUrl ?? null,
          holdText: texts.hold,
        }
      : null,
  };
}

export function connecting(state: AgentLineState, e: AgentLineFlowEvent, ctx: AgentLineCtx): AgentLineResult {
  if (!state.connect) return { state, commands: [] };
  // The agent line's own events are not the connect machine's: it ignores types it does not know.
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
      const talk = startFundedTalk(
        { ...next, connect: null, agent: step.result.agent },
        ctx,
        step.result.talkStartedAt,
      );
      return {
        state: talk.state,
        commands: [...step.commands, ...clearTimers("pre_talk_limit"), ...talk.commands],
      };
    }
    case "unavailable":
      return goodbye({ ...next, connect: null }, ctx, texts.noAgent, "no_agent", step.commands);
    case "caller_left":
      return settle(
        { ...next, connect: null },
        ctx,
        { status: "abandoned", endedAt: step.result.at, cause: step.result.cause, by: "caller" },
        step.commands,
      );
  }
}

/** The pre-talk limit: nothing may stay ringing, reserved or queued. */
export function abandonConnect(
  state: AgentLineState,
  ctx: AgentLineCtx,
): { state: AgentLineState; commands: EngineCommand[] } {
  if (!state.connect) return { state, commands: [] };
  return { state: { ...state, connect: null }, commands: abandonReaching(connectConfig(ctx), state.connect) };
}
