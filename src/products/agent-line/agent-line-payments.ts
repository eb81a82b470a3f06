/**
 * How secure payments reach into the agent line's talk: where its talk and payments live, the
 * line's payment settings in its own currency, and its talk config (so the credit clock resumes
 * with the limit moved by the time the payment took).
 */
import { settingsFor, type SecurePaymentSettings } from "../../secure-payments/config";
import type { TalkHost } from "../../secure-payments/during-talk";
import type { AgentLineCtx, AgentLineState } from "./agent-line-state";
import { talkConfig } from "./agent-line-talk";
import type { AgentLineConfig } from "./config";

export const paymentSettings = (cfg: AgentLineConfig): SecurePaymentSettings =>
  settingsFor(cfg.securePayments, cfg.currency);

export const agentLinePayments: TalkHost<AgentLineState, AgentLineCtx> = {
  talk: (s) => s.talk,
  withTalk: (s, talk) => ({ ...s, talk }),
  payments: (s) => s.securePayments,
  withPayments: (s, securePayments) => ({ ...s, securePayments }),
  agentId: (s) => s.agent?.id ?? null,
  settings: (ctx) => paymentSettings(ctx.line.config),
  talkConfig,
};
