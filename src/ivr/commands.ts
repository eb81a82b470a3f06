/**
 * Small builders for the commands every flow issues (timers, hang-ups), so tables read as intent.
 * Pure data; the shell executes them.
 */
import type { EngineCommand, LegId } from "./types";

export const setTimer = (name: string, at: number): EngineCommand => ({ type: "set_timer", name, at });

export const clearTimers = (...names: string[]): EngineCommand[] =>
  names.map((name) => ({ type: "clear_timer", name }));

/** Hang up each known leg; unknown (null) legs are skipped. */
export const hangupLegs = (...legs: (LegId | null | undefined)[]): EngineCommand[] =>
  legs.filter((leg): leg is LegId => !!leg).map((leg) => ({ type: "hangup", leg }));
