/**
 * Fresh download links for a call's recording. Telnyx's call.recording.saved URLs last 10 minutes,
 * so a voicemail is fetched through GET /v2/recordings (filtered by call session) when asked for.
 * Read-only; errors are the same typed TelnyxError the command client throws.
 */
import { errorFrom, TelnyxError } from "./telnyx-client";

export interface RecordingLookup {
  apiBase: string;
  apiKey: string;
  fetch?: typeof fetch;
}

interface RecordingData {
  created_at?: string;
  download_urls?: { mp3?: string; wav?: string };
}

/** The newest recording of the call, as a short-lived download URL; null when Telnyx has none. */
export async function freshRecordingUrl(
  opts: RecordingLookup,
  callSessionId: string,
): Promise<string | null> {
  const url = new URL("/v2/recordings", opts.apiBase);
  url.searchParams.set("filter[call_session_id]", callSessionId);
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  const where = "GET /v2/recordings";
  let res: Response;
  try {
    res = await doFetch(url.toString(), {
      headers: { authorization: `Bearer ${opts.apiKey}`, accept: "application/json" },
      signal: AbortSignal.timeout(10_000),
    });
  } catch (err) {
    const why = err instanceof Error ? err.name : "error";
    throw new TelnyxError(`Telnyx unreachable on ${where} (${why})`, 0, undefined, true, false);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) throw errorFrom(res.status, json, where);
  const data = (json as { data?: RecordingData[] } | null)?.data ?? [];
  const newest = [...data].sort((a, b) => (b.created_at ?? "").localeCompare(a.created_at ?? ""))[0];
  return newest?.download_urls?.mp3 ?? newest?.download_urls?.wav ?? null;
}
