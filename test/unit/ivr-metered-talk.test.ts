/**
 * The shared talk machine's "keep the caller" mode (a calling card's next call): the other party
 * leaving does not hang the caller up, an earlier hang-up of the caller's delivered late still
 * wins, and releaseOther ends the talk at the caller's request once the other leg is down. The
 * default mode still hangs the caller up.
 */
import { describe, expect, it } from "vitest";
import { releaseOther, startTalk, stepTalk, type TalkConfig } from "../../src/ivr/metered-talk";
import { legId } from "../../src/ivr/types";

const caller = legId("caller");
const other = legId("other");
const T0 = 1_000_000;
const cfg = (otherLeaves?: "end" | "keep"): TalkConfig => ({
  warningSec: 60,
  warningText: () => "soon",
  extendLeadSec: null,
  ...(otherLeaves ? { otherLeaves } : {}),
});
const hangup = (leg: typeof caller, at: number) =>
  ({
    type: "leg_hung_up",
    leg,
    role: leg === caller ? "caller" : "dest:1",
    cause: "normal_clearing",
    at,
  }) as const;

describe("metered talk with the caller kept", () => {
  it("the other leaving first: the caller stays, and talk ends there after a short wait", () => {
    const c = cfg("keep");
    const start = startTalk(c, { caller, other }, T0, T0 + 600_000, T0);
    const first = stepTalk(c, start.state, hangup(other, T0 + 90_000), T0 + 90_000);
    expect(first.commands).not.toContainEqual({ type: "hangup", leg: caller });
    expect(first.commands).toContainEqual({ type: "set_timer", name: "hangup_wait", at: T0 + 93_000 });
    const done = stepTalk(
      c,
      first.state,
      { type: "timer_fired", name: "hangup_wait", at: T0 + 93_000 },
      T0 + 93_000,
    );
    expect(done.result).toMatchObject({
      kind: "ended",
      endedAt: T0 + 90_000,
      talkedSec: 90,
      by: "agent",
      callerUp: true,
    });
  });

  it("a caller's earlier hang-up delivered after the other's still sets the end", () => {
    const c = cfg("keep");
    const start = startTalk(c, { caller, other }, T0, null, T0);
    const first = stepTalk(c, start.state, hangup(other, T0 + 90_000), T0 + 90_000);
    const done = stepTalk(c, first.state, hangup(caller, T0 + 89_000), T0 + 90_100);
    expect(done.result).toMatchObject({ endedAt: T0 + 89_000, by: "caller", callerUp: false });
  });

  it("releaseOther hangs up the other leg only, and talk ends at the release once it is down", () => {
    const c = cfg("keep");
    const start = startTalk(c, { caller, other }, T0, null, T0);
    const release = releaseOther(start.state, T0 + 30_000, T0 + 30_000);
    expect(release.commands).toContainEqual({ type: "hangup", leg: other });
    expect(release.commands).not.toContainEqual({ type: "hangup", leg: caller });
    const done = stepTalk(c, release.state, hangup(other, T0 + 30_400), T0 + 30_400);
    expect(done.result).toMatchObject({ endedAt: T0 + 30_000, talkedSec: 30, by: "caller", callerUp: true });
  });

  it("by default the other leaving hangs the caller up, as before", () => {
    const c = cfg();
    const start = startTalk(c, { caller, other }, T0, null, T0);
    expect(stepTalk(c, start.state, hangup(other, T0 + 5_000), T0 + 5_000).commands).toContainEqual({
      type: "hangup",
      leg: caller,
    });
  });
});
