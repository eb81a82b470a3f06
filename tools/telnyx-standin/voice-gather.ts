/**
 * `gather_using_ai`, as far as a voice question needs it: the greeting is heard (a HeardItem the
 * softphone shows as "say your answer"), the caller's spoken answer arrives through the sim API
 * (the softphone types it), and call.ai_gather.ended reports `result` with the first parameter
 * filled, `status` valid — or invalid with an empty result after user_response_timeout_ms of
 * silence. No speech recognition: the typed words are the answer. Keys do nothing meanwhile.
 */
import { type Engine, type Leg, speechMs } from "./leg";

export type VoiceGatherState = { field: string; greeting: string; timeoutMs: number; timer?: NodeJS.Timeout };

/** The field a one-question gather asks for: the first required parameter, else the first property. */
function fieldOf(parameters: unknown): string {
  const p = (parameters ?? {}) as { required?: unknown; properties?: unknown };
  const required = Array.isArray(p.required)
    ? p.required.filter((r): r is string => typeof r === "string")
    : [];
  const properties = p.properties && typeof p.properties === "object" ? Object.keys(p.properties) : [];
  return required[0] ?? properties[0] ?? "answer";
}

export function createVoiceGather(body: Record<string, unknown>): VoiceGatherState {
  return {
    field: fieldOf(body.parameters),
    greeting: typeof body.greeting === "string" ? body.greeting : "",
    timeoutMs: typeof body.user_response_timeout_ms === "number" ? body.user_response_timeout_ms : 10_000,
  };
}

export function beginVoiceGather(engine: Engine, leg: Leg, g: VoiceGatherState): void {
  if (leg.voiceGather) endVoiceGather(engine, leg, null);
  leg.voiceGather = g;
  engine.hear(leg, { kind: "ask", text: g.greeting, field: g.field });
  g.timer = engine.after(leg, speechMs(g.greeting) + g.timeoutMs, () => {
    if (leg.voiceGather === g) endVoiceGather(engine, leg, null);
  });
}

/** The caller said `text` (null: silence, or the gather was replaced): the gather ends. */
export function endVoiceGather(engine: Engine, leg: Leg, text: string | null): void {
  const g = leg.voiceGather;
  if (!g) return;
  engine.cancel(leg, g.timer);
  leg.voiceGather = undefined;
  const heard = text?.trim() ?? "";
  engine.emit(leg, "call.ai_gather.ended", {
    status: heard ? "valid" : "invalid",
    result: heard ? { [g.field]: heard } : {},
    message_history: [
      { role: "assistant", content: g.greeting },
      ...(heard ? [{ role: "user", content: heard }] : []),
    ],
    from: leg.from,
    to: leg.to,
  });
}
