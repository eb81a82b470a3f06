// The softphone's keys reach the call in the order typed, however fast: a fake stand-in whose
// requests finish in reverse order (as requests racing over separate connections may) must still
// receive a pasted card number intact, one request at a time.
import { describe, expect, it } from "vitest";
import type { SimClient } from "../../tools/phone/sim-client";
import { dial } from "../../tools/phone/softphone";
import type { HeardItem } from "../../tools/telnyx-standin/types";

/** A stand-in stub: each DTMF request is "received" when it finishes; earlier ones take longer. */
function racingStandin() {
  const received: string[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  let requests = 0;
  let endCall: (v: { cause: string }) => void = () => undefined;
  const client: SimClient = {
    placeCall: () => Promise.resolve({ callControlId: "v3:call", callSessionId: "session" }),
    async sendDigits(_id, digits) {
      const delayMs = Math.max(1, 40 - 2 * requests++);
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, delayMs));
      received.push(digits);
      inFlight -= 1;
    },
    say: () => Promise.resolve(),
    hangup: () => {
      endCall({ cause: "normal_clearing" });
      return Promise.resolve();
    },
    follow: (_id, _onItem: (item: HeardItem) => void) =>
      new Promise<{ cause: string }>((resolve) => (endCall = resolve)),
  };
  return { client, received, maxInFlight: () => maxInFlight };
}

describe("softphone key order", () => {
  it("a paste (one press per character, none awaited) arrives whole and in order", async () => {
    const standin = racingStandin();
    const call = await dial(standin.client, { from: "+15550000001", to: "+18005550100" });
    const typed = "4000000000000002#";
    await Promise.all([...typed].map((key) => call.press(key)));
    expect(standin.received.join("")).toBe(typed);
    expect(standin.maxInFlight()).toBe(1);
    await call.hangup();
  });

  it("keys typed while a request is in flight go out together as the next request", async () => {
    const standin = racingStandin();
    const call = await dial(standin.client, { from: "+15550000002", to: "+18005550100" });
    const first = call.press("1");
    const rest = [..."4242#"].map((key) => call.press(key));
    await Promise.all([first, ...rest]);
    expect(standin.received).toEqual(["1", "4242#"]);
    await call.hangup();
  });
});
