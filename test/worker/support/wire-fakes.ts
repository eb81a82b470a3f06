/**
 * The two fakes at the wire, fresh for every test: Telnyx's Call Control API (FakeTelnyx) and a
 * tap on the real Stripe stand-in (StripeTap). Call once at a test file's top level.
 */
import { afterEach, beforeEach, vi } from "vitest";
import { StripeTap } from "./advice-stripe";
import { FakeTelnyx } from "./telnyx";

export function useWireFakes(): { telnyx: FakeTelnyx; stripe: StripeTap } {
  const telnyx = new FakeTelnyx();
  const stripe = new StripeTap();
  beforeEach(() => {
    telnyx.reset();
    telnyx.install();
    stripe.reset();
    stripe.install();
  });
  afterEach(() => {
    stripe.uninstall();
    vi.restoreAllMocks();
  });
  return { telnyx, stripe };
}
