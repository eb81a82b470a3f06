import { describe, expect, it } from "vitest";
import { CallScript, ofType } from "../../src/ivr/call-script";
import type { LineInfo } from "../../src/ivr/types";
import { adviceConfigSchema, parseAdviceConfig } from "../../src/products/advice/config";
import { products } from "../../src/products/registry";

const flowFor = (name: string) => products.get(name)?.flow;

const minimal = {
  billing: "per_minute",
  currency: "usd",
  ratePerMinute: 199,
  preauthAmount: 5000,
  welcomeText: "Hi.",
};

describe("advice line config", () => {
  it("fills the documented defaults", () => {
    expect(parseAdviceConfig(minimal)).toEqual({
      ...minimal,
      increment: { firstBlockSec: 60, stepSec: 60 },
      noRep: { mode: "voicemail" },
      ringTimeoutSec: 20,
      cardSteps: {
        number: "touch_tone",
        expiry: "touch_tone",
        street: "touch_tone",
        zip: "touch_tone",
        cvc: "touch_tone",
      },
      voiceQuestions: [],
      confirmCardFields: true,
      zipLength: 5,
      maxTries: 3,
      warningSec: 60,
      voicemailMaxSec: 120,
      maxPreTalkSec: 1800,
      platformFeeBasisPoints: 0,
      securePayments: { enabled: true, maxAmount: 1_000_000, zipLength: 5, mode: "isolated" },
    });
  });

  it("takes a platform fee in whole basis points from 0 to 10000, and nothing else", () => {
    expect(parseAdviceConfig({ ...minimal, platformFeeBasisPoints: 250 }).platformFeeBasisPoints).toBe(250);
    for (const bad of [-1, 10_001, 2.5, "250"])
      expect(() => parseAdviceConfig({ ...minimal, platformFeeBasisPoints: bad })).toThrow(
        /platformFeeBasisPoints/,
      );
  });

  it("accepts a flat-rate line with a queue (a stored voice card step is read as keypad)", () => {
    const cfg = parseAdviceConfig({
      billing: "flat_rate",
      currency: "eur",
      flatFee: 4900,
      maxMinutes: 60,
      welcomeText: "Hallo.",
      customerServiceNumber: "+4930123456",
      noRep: { mode: "queue", maxWaitSec: 300, holdMusicUrl: "https://example.com/m.mp3" },
      cardSteps: { cvc: "voice" },
    });
    expect(cfg.cardSteps.cvc).toBe("touch_tone");
    expect(cfg.cardSteps.number).toBe("touch_tone");
  });

  it.each([
    [{ ...minimal, preauthAmount: 100 }, "preauthAmount"], // does not cover the first minute
    [{ ...minimal, currency: "USD" }, "currency"],
    [{ ...minimal, ratePerMinute: 1.5 }, "ratePerMinute"],
    [{ ...minimal, customerServiceNumber: "555-1234" }, "customerServiceNumber"],
    [{ ...minimal, noRep: { mode: "queue" } }, "noRep.maxWaitSec"],
    [{ ...minimal, billing: "flat_rate", flatFee: 100 }, "maxMinutes"],
  ])("refuses %j at %s", (config, path) => {
    const parsed = adviceConfigSchema.safeParse(config);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.path.join("."))).toContain(path);
  });

  it("names the failing fields when a stored config is broken", () => {
    expect(() => parseAdviceConfig({ ...minimal, currency: 7 })).toThrow(
      "invalid advice line config: currency",
    );
  });
});

describe("product registry", () => {
  it("maps demo, advice and calling cards; unknown products get nothing", () => {
    expect(flowFor("demo")?.name).toBe("demo");
    expect(flowFor("advice")?.name).toBe("advice");
    expect(flowFor("calling_card")?.name).toBe("calling_card");
    expect(flowFor("call_shop")).toBeUndefined();
    expect(flowFor("toString")).toBeUndefined();
  });

  it("the advice flow takes the raw stored config and applies its defaults", () => {
    const flow = flowFor("advice")!;
    const line: LineInfo = {
      id: "l",
      number: "+18005550100",
      name: "L",
      product: "advice",
      voice: "female",
      config: minimal,
    };
    const s = new CallScript(flow, line);
    s.start();
    s.answered();
    expect(ofType(s.spoke(), "gather")[0]!.prompt).toContain("1.99 US dollars per minute");
  });
});
