/**
 * The end-of-call summary the softphone prints: who hung up, talk time, what was billed and what
 * money moved, read from the Worker's API (`GET /api/v1/calls/{call_session_id}`). The record is
 * written when the call settles, a moment after the hang-up, so it is polled briefly (bounded).
 * Never throws: an API that cannot be reached or has no record (yet) becomes a one-line reason.
 */
import { minorToDecimal } from "../../src/billing/currency";

/** The fields of the API's CallDetail the summary reads. */
export type CallDetail = {
  status: string;
  hangup_cause: string | null;
  ended_by: "caller" | "agent" | "system" | null;
  talk_started_at: string | null;
  ended_at: string;
  billable_seconds: number;
  amount: number;
  currency: string;
  payments: { kind: string; amount: number; currency: string; status: string; code: string | null }[];
};

export type WorkerApi = { url: string; token: string };

/** "$3.98", "¥398", "KWD 3.980": the currency's own decimals (one exponent table: src/api/csv.ts). */
export function formatMoney(amountMinor: number, currency: string): string {
  const decimal = minorToDecimal(amountMinor, currency);
  const digits = decimal.split(".")[1]?.length ?? 0;
  const format = new Intl.NumberFormat("en-US", {
    style: "currency",
    currency: currency.toUpperCase(),
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
  // A decimal string keeps every digit exact, where a float could round a large amount. Intl puts
  // a no-break space after a currency code ("KWD 3.980"); a plain one copies and greps better.
  return format.format(decimal as Intl.StringNumericLiteral).replaceAll("\u00a0", " ");
}

/** 90 → "1:30"; 3725 → "1:02:05". Whole seconds rounded down, as billing counts them. */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, "0")}`;
  if (s < 3600) return mmss;
  return `${Math.floor(s / 3600)}:${mmss.padStart(5, "0")}`;
}

function whoEnded(call: CallDetail): string {
  switch (call.ended_by) {
    case "caller":
      return "you hung up";
    case "agent":
      return "rep hung up";
    case "system":
      if (call.hangup_cause === "time_limit") return "cut off at the time limit";
      if (call.hangup_cause === "transferred") return "the line transferred the call";
      return "the line ended the call";
    case null:
      return `call ended${call.hangup_cause ? ` (${call.hangup_cause})` : ""}`;
  }
}

function billed(seconds: number): string {
  return seconds % 60 === 0 ? `billed ${seconds / 60} min` : `billed ${seconds} s`;
}

/** Money that moved, by payment kind, with the status the API gives it once done. */
const MONEY_MOVES = [
  { kind: "capture", verb: "captured", done: "succeeded" },
  { kind: "charge", verb: "charged", done: "succeeded" },
  { kind: "refund", verb: "refunded", done: "refunded" },
] as const;

/** What money moved: captures, charges and refunds that went through, or why none did. */
function moneyMoved(call: CallDetail): string[] {
  const moved: string[] = [];
  for (const { kind, verb, done } of MONEY_MOVES) {
    const went = call.payments.filter((p) => p.kind === kind && p.status === done);
    const total = went.reduce((sum, p) => sum + p.amount, 0);
    if (went.length) moved.push(`${verb} ${formatMoney(total, went[0]!.currency)}`);
  }
  if (moved.length) return moved;
  const declined = call.payments.filter((p) => p.kind === "attempt");
  const declines = declined.map((p) => p.code ?? p.status).join(", ");
  if (declined.length) moved.push(`card declined${declines ? ` (${declines})` : ""}`);
  if (call.payments.some((p) => p.kind === "cancel" || p.kind === "release")) moved.push("hold released");
  moved.push(
    call.amount > 0 ? `${formatMoney(call.amount, call.currency)} not collected` : "nothing charged",
  );
  return moved;
}

/** `✖ rep hung up · talk 1:30 · billed 2 min · captured $3.98` */
export function describeCallSummary(call: CallDetail): string {
  const talk = call.talk_started_at
    ? `talk ${clock((Date.parse(call.ended_at) - Date.parse(call.talk_started_at)) / 1000)}`
    : "no talk";
  const parts = [whoEnded(call), talk];
  if (call.status !== "completed") parts.push(call.status.replaceAll("_", " "));
  // A free line (the demo) counts seconds too, but bills nothing: no "billed" to show.
  if (call.billable_seconds > 0 && call.amount > 0) parts.push(billed(call.billable_seconds));
  return `✖ ${[...parts, ...moneyMoved(call)].join(" · ")}`;
}

export type SummaryResult = { ok: true; call: CallDetail } | { ok: false; reason: string };

/** Polls for the call record until it appears or `waitMs` passes. */
export async function fetchCallSummary(
  api: WorkerApi,
  callSessionId: string,
  opts: { waitMs?: number; everyMs?: number } = {},
): Promise<SummaryResult> {
  const deadline = Date.now() + (opts.waitMs ?? 5000);
  const url = `${api.url.replace(/\/+$/, "")}/api/v1/calls/${encodeURIComponent(callSessionId)}`;
  for (;;) {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `Bearer ${api.token}` } });
    } catch {
      return { ok: false, reason: `the Worker API at ${api.url} is not answering` };
    }
    if (res.ok) {
      const call = (await res.json().catch(() => null)) as CallDetail | null;
      return call ? { ok: true, call } : { ok: false, reason: `the Worker API sent no JSON for ${url}` };
    }
    await res.body?.cancel();
    if (res.status !== 404) return { ok: false, reason: `the Worker API answered ${res.status} to ${url}` };
    if (await endedWithoutLine(url, api.token)) {
      return { ok: false, reason: "the number called is not a line here, and such calls keep no record" };
    }
    if (Date.now() >= deadline) {
      const waited = Math.round((opts.waitMs ?? 5000) / 1000);
      return { ok: false, reason: `no call record within ${waited} s (GET ${url} later)` };
    }
    await new Promise((r) => setTimeout(r, opts.everyMs ?? 200));
  }
}

/**
 * A call to a number that is no line (not in service) ends without a call record, by design: its
 * live view says so (ended, no line), which spares the caller the whole wait for a record.
 */
async function endedWithoutLine(callUrl: string, token: string): Promise<boolean> {
  try {
    const res = await fetch(`${callUrl}/live`, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) {
      await res.body?.cancel();
      return false;
    }
    const live = (await res.json()) as { ended?: unknown; line?: { id?: unknown } };
    return live.ended === true && live.line?.id === "";
  } catch {
    return false;
  }
}
