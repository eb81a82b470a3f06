/**
 * Our Telnyx `client_state`: base64 of JSON `{"s": <call session id>, "r": <LegRole>}`. Telnyx
 * echoes it on every later webhook of that leg, so it names the leg's role and, as a fallback, the
 * session. Decoding is tolerant (webhooks come from outside) but tells "none" from "not ours".
 */
import { isLegRole, type LegRole } from "../ivr/types";

export interface ClientState {
  /** Call session id (Telnyx call_session_id of the call). */
  s: string;
  r: LegRole;
}

export function encodeClientState(state: ClientState): string {
  const bytes = new TextEncoder().encode(JSON.stringify({ s: state.s, r: state.r }));
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The decoded state; "absent" when the leg carries none; "unrecognised" when it is not ours or garbled. */
export function readClientState(value: string | null | undefined): ClientState | "absent" | "unrecognised" {
  if (!value) return "absent";
  try {
    const binary = atob(value);
    const bytes = Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
    const parsed: unknown = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes),
    );
    if (typeof parsed !== "object" || parsed === null) return "unrecognised";
    const { s, r } = parsed as Record<string, unknown>;
    if (typeof s !== "string" || s === "" || !isLegRole(r)) return "unrecognised";
    return { s, r };
  } catch {
    return "unrecognised";
  }
}

export function decodeClientState(value: string | null | undefined): ClientState | null {
  const state = readClientState(value);
  return typeof state === "string" ? null : state;
}

export { isLegRole };
