// The bench's command figures: a double send under different command_ids (same call, action and
// body) counts as duplicated; different commands do not; a repeated command_id the stand-in
// answered without running again counts as resent, not duplicated.
import { describe, expect, it } from "vitest";
import { latencyFigures } from "../../tools/bench/figures";
import type { RecordedCommand, WebhookAttempt } from "../../tools/telnyx-standin/types";

let clock = 1_000;
function cmd(
  action: string,
  callControlId: string | null,
  commandId: string,
  body: Record<string, unknown> = {},
  executed = true,
): RecordedCommand {
  clock += 10;
  return {
    path: callControlId ? `/v2/calls/${callControlId}/actions/${action}` : "/v2/calls",
    action,
    call_control_id: callControlId,
    body: { ...body, command_id: commandId, client_state: `state-${commandId}` },
    command_id: commandId,
    status: 200,
    executed,
    receivedAt: clock,
  };
}

const webhooks: WebhookAttempt[] = [
  {
    id: "ev-1",
    call_session_id: "s1",
    sentAt: 1_000,
    event_type: "call.initiated",
    call_control_id: "leg-a",
    attempt: 1,
    status: 200,
  },
];

const figuresOf = (commands: RecordedCommand[]) =>
  latencyFigures({ n: 1, setups: [500], elapsedMs: 1000, records: 1, commands, webhooks });

const dialBody = { to: "+15550310001", from: "+15550300000", link_to: "leg-a", timeout_secs: 20 };

describe("bench command figures", () => {
  it("counts the same effect sent twice under different command_ids as duplicated", () => {
    const figures = figuresOf([
      cmd("answer", "leg-a", "s1:1:0"),
      cmd("answer", "leg-a", "s1:2:0"),
      cmd("dial", null, "s1:3:0", dialBody),
      // Same body with keys in another order: still the same dial.
      cmd("dial", null, "s1:4:0", {
        timeout_secs: 20,
        link_to: "leg-a",
        from: "+15550300000",
        to: "+15550310001",
      }),
    ]);
    expect(figures.duplicatedCommands).toBe(2);
    expect(figures.commands).toBe(4);
  });

  it("does not count different commands, legs or bodies, nor a resent command_id", () => {
    const figures = figuresOf([
      cmd("answer", "leg-a", "s1:1:0"),
      cmd("answer", "leg-b", "s2:1:0"),
      cmd("speak", "leg-a", "s1:2:0", { payload: "Welcome" }),
      cmd("speak", "leg-a", "s1:3:0", { payload: "Goodbye" }),
      cmd("dial", null, "s1:4:0", dialBody),
      cmd("dial", null, "s1:5:0", { ...dialBody, to: "+15550310002" }),
      // The platform resent s1:1:0 after a timeout; the stand-in answered without running it.
      cmd("answer", "leg-a", "s1:1:0", {}, false),
    ]);
    expect(figures.duplicatedCommands).toBe(0);
    expect(figures.resentCommands).toBe(1);
  });
});
