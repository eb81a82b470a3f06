/**
 * How secure payments reach into the demo's talk: where its talk and payments live in its state,
 * and the line's payment settings (in US dollars, as every demo call is).
 */
import { settingsFor } from "../../secure-payments/config";
import type { TalkHost } from "../../secure-payments/during-talk";
import { DEMO_CURRENCY } from "./config";
import { TALK, type DemoCtx, type DemoState } from "./demo-steps";

export const demoPayments: TalkHost<DemoState, DemoCtx> = {
  talk: (s) => s.talk,
  withTalk: (s, talk) => ({ ...s, talk }),
  payments: (s) => s.securePayments,
  withPayments: (s, securePayments) => ({ ...s, securePayments }),
  agentId: (s) => s.agent?.id ?? null,
  settings: (ctx) => settingsFor(ctx.line.config.securePayments, DEMO_CURRENCY),
  talkConfig: () => TALK,
};
