/**
 * Small builders for the commands every flow issues (timers, hang-ups), so tables read as intent.
 * Pure data; the shell executes them.
 */
import type { Command, LegId } from "./types";

export const setTimer = (name: string, at: number): Command => ({ type: "set_timer", name, at });

export const clearTimers = (...names: string[]): Command[] =>
  names.map((name) => ({ type: "clear_timer", name }));

/** Hang up each known leg; unknown (null) legs are skipped. */
export const hangupLegs = (...legs: (LegId | null | undefined)[]): Command[] =>
  legs.filter((leg): leg is LegId => !!leg).map((leg) => ({ type: "hangup", leg }));
