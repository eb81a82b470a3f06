/**
 * Reads what a raw-mode terminal delivers as one chunk (one key, or a whole paste) into the DTMF
 * keys it holds and whether it asks to hang up. Escape sequences are dropped first: arrow and
 * function keys (`ESC [ 1 5 ~` is F5) and bracketed-paste markers (`ESC [ 2 0 0 ~`) carry digits
 * that must never reach the call as key presses.
 */

// CSI (ESC [ params final), SS3 (ESC O x), and any other two-byte ESC sequence. Matching the ESC
// control character is the point here, hence the rule's exception.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|O.|.)?/gs;
const DTMF_KEY = /^[0-9*#]$/;
const HANGUP_KEYS = new Set(["h", "H", "\u0003"]);

export type TerminalInput = { keys: string; hangup: boolean };

/** Keys up to the first hang-up key; anything else typed is ignored. */
export function readTerminalInput(chunk: string): TerminalInput {
  let keys = "";
  for (const ch of chunk.replace(ESCAPE_SEQUENCE, "")) {
    if (HANGUP_KEYS.has(ch)) return { keys, hangup: true };
    if (DTMF_KEY.test(ch)) keys += ch;
  }
  return { keys, hangup: false };
}
